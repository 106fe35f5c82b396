import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../build/functions.js';
import type { CallCounts } from './aws-proxy/call-counts.js';
import { tagCallsTo } from './aws-proxy/caller-tag.js';
import { AWS_PARTITION_LIMITS } from './aws-proxy/capacity.js';
import type { CeilingSettings } from './aws-proxy/dynamodb-proxy.js';
import type { ProxyReply, ProxyRequest } from './aws-proxy/proxy-child.js';

export type { CallCounts, CallStats } from './aws-proxy/call-counts.js';
export { byOperation, diffCounts, UNATTRIBUTED } from './aws-proxy/call-counts.js';
export type { CeilingSettings } from './aws-proxy/dynamodb-proxy.js';

/** DynamoDB's own per-partition limits and error (see aws-proxy/capacity.ts for the sources). */
export const AWS_CEILING: CeilingSettings = { ...AWS_PARTITION_LIMITS, errorType: 'ProvisionedThroughputExceededException' };

/**
 * Parses the ceiling as `npm start` takes it (`PARTITION_CEILING`): `on` (DynamoDB's 1,000 write
 * and 3,000 read units per second per partition key value), `<write>/<read>` units per second
 * (e.g. `100/300`), or `off` / empty.
 */
export function parseCeiling(raw: string | undefined): CeilingSettings | null {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'off' || value === 'false' || value === '0') return null;
  if (value === 'on' || value === 'true' || value === 'aws') return AWS_CEILING;
  const match = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(value);
  const write = Number(match?.[1]);
  const read = Number(match?.[2]);
  if (!match || !(write > 0) || !(read > 0)) {
    throw new Error(`PARTITION_CEILING must be on, off or <write units>/<read units> per second (e.g. 100/300), got "${raw}"`);
  }
  return { writeUnitsPerSecond: write, readUnitsPerSecond: read, errorType: AWS_CEILING.errorType };
}

export interface AwsProxies {
  /** Where functions and event sources send their calls (the proxies). */
  endpoints: { dynamodb: string; sqs: string; s3: string };
  /** Every call so far, by caller and operation. */
  counts(): Promise<CallCounts>;
  /** Turns the partition ceiling on (or changes it), or off with `null`. */
  setCeiling(ceiling: CeilingSettings | null): void;
  readonly ceiling: CeilingSettings | null;
  stop(): Promise<void>;
}

/**
 * Starts the local AWS proxies in a child process of their own, in front of DynamoDB Local and
 * fauxqs, and tags this process's calls to them with their caller (aws-proxy/caller-tag.ts).
 */
export async function startAwsProxies(
  upstream: { dynamodb: string; messaging: string },
  options: { ceiling?: CeilingSettings | null } = {},
): Promise<AwsProxies> {
  const child = fork(fileURLToPath(new URL('./aws-proxy/proxy-child.ts', import.meta.url)), {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (m: ProxyRequest) => child.send(m);
  let ceiling = options.ceiling ?? null;
  const ready = await new Promise<Extract<ProxyReply, { type: 'ready' }>>((resolve, reject) => {
    child.once('message', (m: ProxyReply) => (m.type === 'ready' ? resolve(m) : reject(new Error(`unexpected ${m.type}`))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the AWS proxies exited with ${code} before they started`)));
    send({ type: 'start', ...upstream, ceiling });
  });
  const dynamoHost = `127.0.0.1:${ready.dynamodbPort}`;
  const messagingHost = `127.0.0.1:${ready.messagingPort}`;
  const untag = tagCallsTo([dynamoHost, messagingHost]);
  const pending = new Map<number, (counts: CallCounts) => void>();
  let nextId = 0;
  child.on('message', (m: ProxyReply) => {
    if (m.type === 'counts') {
      pending.get(m.id)?.(m.counts);
      pending.delete(m.id);
    }
  });
  return {
    endpoints: { dynamodb: `http://${dynamoHost}`, sqs: `http://${messagingHost}`, s3: `http://${messagingHost}` },
    counts: () =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        send({ type: 'counts', id });
      }),
    setCeiling(next) {
      ceiling = next;
      send({ type: 'configure', ceiling: next });
    },
    get ceiling() {
      return ceiling;
    },
    async stop() {
      untag();
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
