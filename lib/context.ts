import type { Node } from 'constructs';

export type DeployTarget = 'aws' | 'localstack' | 'local';

/** Deploy-time settings, read once from CDK context (cdk.json or `-c key=value`). */
export interface CrestSettings {
  target: DeployTarget;
  /** DAX cluster in front of the catalog table (off for LocalStack and local: neither has DAX). */
  dax: boolean;
  /** WAFv2 web ACL on the API stage (off for LocalStack and local). */
  waf: boolean;
  daxNodeType: string;
  daxReplicationFactor: number;
  /**
   * Availability zones of the DAX VPC, chosen by CloudFormation (`Fn::GetAZs`) rather than looked
   * up at synth time, so the template is the same with and without credentials.
   */
  daxAvailabilityZones: number;
  apiThrottleRate: number;
  apiThrottleBurst: number;
  /** The most deduction consumers running at once: the SQS event source's MaximumConcurrency. */
  deductionConcurrency: number;
  /**
   * Also reserve `deductionConcurrency` for the consumer (ReservedConcurrentExecutions). Off by
   * default: reserving needs an account concurrency quota of at least 100 + N.
   */
  deductionReservedConcurrency: boolean;
  deductionTimeoutSeconds: number;
  deductionMaxReceiveCount: number;
  perUserLimit: number;
  /** How long a won deduction is HELD for its buyer to confirm before it expires (s). */
  holdSeconds: number;
  /** Requests per minute one Authorization header may send to the buy route (WAF, AWS only). */
  buyerRateLimit: number;
  feedPageSize: number;
  /**
   * Mount the benchmarks' baseline function (lib/constructs/naive-deductions.ts). Only with
   * target=local: it is never deployed.
   */
  benchBaseline: boolean;
  /** Subscribed by e-mail to the alarm topic (Observability); absent: the topic has no subscriber yet. */
  alarmEmail?: string;
  /** Web origins allowed to call the API from a browser (CORS); empty: CORS off (the default). */
  corsAllowedOrigins: string[];
}

/** Reads and validates the settings; a bad value fails synthesis with a message naming the key. */
export function readSettings(node: Node): CrestSettings {
  const ctx = (key: string) => node.tryGetContext(key) as unknown;
  const target = str(ctx('target')) ?? 'aws';
  if (!isTarget(target)) throw new Error(`context target must be aws|localstack|local, got ${target}`);
  const cloud = target === 'aws';
  return {
    target,
    dax: bool('dax', ctx('dax'), cloud) && cloud,
    waf: bool('waf', ctx('waf'), cloud) && cloud,
    daxNodeType: str(ctx('daxNodeType')) ?? 'dax.t3.small',
    daxReplicationFactor: int('daxReplicationFactor', ctx('daxReplicationFactor'), 3, { min: 1, max: 11 }),
    daxAvailabilityZones: int('daxAvailabilityZones', ctx('daxAvailabilityZones'), 3, { min: 1, max: 6 }),
    apiThrottleRate: positive('apiThrottleRate', ctx('apiThrottleRate'), 2000),
    apiThrottleBurst: int('apiThrottleBurst', ctx('apiThrottleBurst'), 4000, { min: 1 }),
    deductionConcurrency: int('deductionConcurrency', ctx('deductionConcurrency'), 5, {
      min: 2,
      max: 1000,
      why: 'it is the SQS event source’s ScalingConfig.MaximumConcurrency, which AWS accepts from 2 to 1000',
    }),
    deductionReservedConcurrency: bool('deductionReservedConcurrency', ctx('deductionReservedConcurrency'), false),
    deductionTimeoutSeconds: int('deductionTimeoutSeconds', ctx('deductionTimeoutSeconds'), 30, {
      min: 1,
      max: 900,
      why: 'Lambda’s maximum timeout is 900 s (the queue’s visibility timeout is 6× this)',
    }),
    deductionMaxReceiveCount: int('deductionMaxReceiveCount', ctx('deductionMaxReceiveCount'), 5, { min: 1, max: 1000 }),
    perUserLimit: int('perUserLimit', ctx('perUserLimit'), 1, { min: 1 }),
    holdSeconds: int('holdSeconds', ctx('holdSeconds'), 600, {
      min: 30,
      max: 3600,
      why: 'a hold shorter than 30 s leaves a buyer no time to pay; one longer than an hour keeps units from the sale',
    }),
    buyerRateLimit: int('buyerRateLimit', ctx('buyerRateLimit'), 60, {
      min: 10,
      max: 2_000_000_000,
      why: 'it is a WAF rate-based rule’s limit per 1-minute window, which AWS accepts from 10',
    }),
    feedPageSize: int('feedPageSize', ctx('feedPageSize'), 20, { min: 1, max: 100 }),
    benchBaseline: benchBaseline(bool('benchBaseline', ctx('benchBaseline'), false), target),
    alarmEmail: email('alarmEmail', ctx('alarmEmail')),
    corsAllowedOrigins: origins('corsAllowedOrigins', ctx('corsAllowedOrigins')),
  };
}

/** The benchmarks' baseline is a measuring stick, not a product route: never in a deployable template. */
function benchBaseline(on: boolean, target: DeployTarget): boolean {
  if (on && target !== 'local') {
    throw new Error(
      `context benchBaseline=true is only for target=local (the benchmarks' baseline is never deployed), got target=${target}`,
    );
  }
  return on;
}

/**
 * Origins as a JSON array (cdk.json) or a comma-separated string (`-c corsAllowedOrigins=a,b`),
 * each `scheme://host[:port]` exactly as a browser sends it in Origin (no path, no trailing
 * slash), or `*` alone.
 */
function origins(key: string, value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s?#,]+$/.test(origin)) {
      throw new Error(`context ${key} must list origins such as https://shop.example.com (no path), or *; got ${origin}`);
    }
  }
  if (list.includes('*') && list.length > 1) throw new Error(`context ${key}: * allows every origin; list it alone`);
  return [...new Set(list)];
}

function email(key: string, value: unknown): string | undefined {
  const text = str(value)?.trim();
  if (!text) return undefined;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) throw new Error(`context ${key} must be an e-mail address, got ${text}`);
  return text;
}

function isTarget(value: string): value is DeployTarget {
  return value === 'aws' || value === 'localstack' || value === 'local';
}

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/** `true`/`false` as JSON (cdk.json) or as the strings `-c key=true` passes. */
function bool(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${String(value)}`);
}

function positive(key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`context ${key} must be a positive number, got ${String(value)}`);
  return n;
}

function int(key: string, value: unknown, fallback: number, range: { min: number; max?: number; why?: string }): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(n) || n < range.min || n > max) {
    const bounds = range.max === undefined ? `an integer ≥ ${range.min}` : `an integer from ${range.min} to ${range.max}`;
    throw new Error(`context ${key} must be ${bounds}${range.why ? ` (${range.why})` : ''}, got ${String(value)}`);
  }
  return n;
}
