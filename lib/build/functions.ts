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

/**
 * Functions that exist only for the benchmarks (never deployed): the stack mounts them only with
 * context `benchBaseline=true` on `target=local`. Bundled with the rest so the local synth finds them.
 */
export const BENCH_FUNCTIONS = ['naive-deductions'] as const;

export type FunctionName = (typeof FUNCTIONS)[number] | (typeof BENCH_FUNCTIONS)[number];

export const functionEntry = (name: FunctionName) => path.join(ROOT, 'lambdas', name, 'handler.ts');
export const functionBundleDir = (name: FunctionName) => path.join(ROOT, 'dist', 'functions', name);
export const functionMetafile = (name: FunctionName) => path.join(ROOT, 'dist', 'meta', `${name}.json`);
