import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in lib/build/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Every Lambda function Crest ships. The name is the folder under lambdas/ holding `handler.ts`
 * and the folder under dist/functions/ holding its bundle; constructs refer to functions by it.
 */
export const FUNCTIONS = [
  'product-read',
  'deductions-api',
  'deduction-consumer',
  'deduction-events',
  'hold-expiry',
  'admin-api',
  'catalog-stream',
  'feed-read',
  'feed-admin',
  'feed-scheduler',
  'health-check',
] as const;

export type FunctionName = (typeof FUNCTIONS)[number];

export const functionEntry = (name: FunctionName) => path.join(ROOT, 'lambdas', name, 'handler.ts');
export const functionBundleDir = (name: FunctionName) => path.join(ROOT, 'dist', 'functions', name);
export const functionMetafile = (name: FunctionName) => path.join(ROOT, 'dist', 'meta', `${name}.json`);
