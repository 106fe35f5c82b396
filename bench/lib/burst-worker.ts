/**
 * Runs a burst (see burst.ts) in a child process, so the load generator does not share the event
 * loop (or the core) of the server it measures. Requests are described by data: `{ sku }` bodies
 * with unique users, and an Idempotency-Key when `keyPrefix` is set.
 */
import { burst } from './burst.js';

export interface BurstSpec {
  url: string;
  total: number;
  connections: number;
  sku: string;
  keyPrefix?: string;
}

process.once('message', async (spec: BurstSpec) => {
  const result = await burst(spec.url, spec.total, spec.connections, (i) => ({
    headers: { 'content-type': 'application/json', ...(spec.keyPrefix ? { 'idempotency-key': `${spec.keyPrefix}-${i}` } : {}) },
    body: JSON.stringify({ sku: spec.sku, quantity: 1, userId: `buyer-${i}` }),
  }));
  process.send?.(result, () => process.exit(0));
});
