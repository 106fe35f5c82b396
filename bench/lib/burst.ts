import { fork } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** A burst described by data, so it can run in another process (see burst-worker.ts). */
export interface BurstSpec {
  /** The SKU's buy route, e.g. `<api>/v1/products/<sku>/deductions`. */
  url: string;
  total: number;
  connections: number;
  /** Sends an Idempotency-Key `<keyPrefix>-<i>` when set. */
  keyPrefix?: string;
  /** Request i sends `Authorization: authorizations[i]` (one buyer's ID token each) when set. */
  authorizations?: string[];
}

export interface BurstResult {
  /** Per request, in send order: latency in ms and status. */
  samples: Array<{ ms: number; status: number; body: string }>;
  wallMs: number;
}

/**
 * Sends `total` POSTs to `url` over `connections` keep-alive connections (loopback only) as fast
 * as they are answered, recording each request's latency. Bounded by count: it stops by itself.
 */
export async function burst(
  url: string,
  total: number,
  connections: number,
  request: (i: number) => { headers: Record<string, string>; body: string },
): Promise<BurstResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: BurstResult['samples'] = new Array(total);
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const { headers, body } = request(i);
      const started = performance.now();
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            samples[i] = { ms: performance.now() - started, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() };
            resolve();
          });
        },
      );
      req.on('error', (error) => {
        samples[i] = { ms: performance.now() - started, status: 0, body: error.message };
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < total; i = next++) await one(i);
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { samples, wallMs };
}

/** The POSTs of a BurstSpec: `{ quantity: 1 }`, each with its buyer's token when given. */
export function deductionBurst(spec: BurstSpec): Promise<BurstResult> {
  return burst(spec.url, spec.total, spec.connections, (i) => ({
    headers: {
      'content-type': 'application/json',
      ...(spec.keyPrefix ? { 'idempotency-key': `${spec.keyPrefix}-${i}` } : {}),
      ...(spec.authorizations?.[i] ? { authorization: spec.authorizations[i] } : {}),
    },
    body: JSON.stringify({ quantity: 1 }),
  }));
}

/** `deductionBurst` from a separate Node process (burst-worker.ts). */
export async function burstInWorker(spec: BurstSpec): Promise<BurstResult> {
  const child = fork(fileURLToPath(new URL('./burst-worker.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as BurstResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`burst process exited with ${code}`));
    });
    child.send(spec);
  });
}
