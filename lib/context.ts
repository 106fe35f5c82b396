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
  apiThrottleRate: number;
  apiThrottleBurst: number;
  /** Reserved concurrency of the deduction consumer, and its event-source maxConcurrency. */
  deductionConcurrency: number;
  deductionTimeoutSeconds: number;
  deductionMaxReceiveCount: number;
  perUserLimit: number;
  feedPageSize: number;
}

export function readSettings(node: Node): CrestSettings {
  const target = (str(node.tryGetContext('target')) ?? 'aws') as DeployTarget;
  if (!['aws', 'localstack', 'local'].includes(target)) throw new Error(`context target must be aws|localstack|local, got ${target}`);
  const cloud = target === 'aws';
  return {
    target,
    dax: bool(node.tryGetContext('dax'), cloud) && cloud,
    waf: bool(node.tryGetContext('waf'), cloud) && cloud,
    daxNodeType: str(node.tryGetContext('daxNodeType')) ?? 'dax.t3.small',
    daxReplicationFactor: num(node.tryGetContext('daxReplicationFactor'), 3),
    apiThrottleRate: num(node.tryGetContext('apiThrottleRate'), 2000),
    apiThrottleBurst: num(node.tryGetContext('apiThrottleBurst'), 4000),
    deductionConcurrency: num(node.tryGetContext('deductionConcurrency'), 5),
    deductionTimeoutSeconds: num(node.tryGetContext('deductionTimeoutSeconds'), 30),
    deductionMaxReceiveCount: num(node.tryGetContext('deductionMaxReceiveCount'), 5),
    perUserLimit: num(node.tryGetContext('perUserLimit'), 1),
    feedPageSize: num(node.tryGetContext('feedPageSize'), 20),
  };
}

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function bool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  return value === true || value === 'true';
}

function num(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`context value must be a positive number, got ${String(value)}`);
  return n;
}
