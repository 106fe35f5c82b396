import { fork } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * A burst described by data, so it runs in another process (burst-worker.ts) and never in the
 * event loop of the servers it measures. `{i}` in the URL, a header value or the body is replaced
 * by the request's index (unique idempotency keys, buyers); `authorizations` and `urls`, when
 * given, are used round-robin (one signed-in buyer per request, reads spread over products).
 */
export interface BurstSpec {
  url: string;
  method?: 'POST' | 'GET';
  total: number;
  connections: number;
  headers?: Record<string, string>;
  body?: string;
  authorizations?: readonly string[];
  /** When given, request i goes to `urls[i % urls.length]` instead of `url`. */
  urls?: readonly string[];
  /** Progress reports every this many ms (0: none). */
  progressMs?: number;
}

export interface BurstSample {
  /** When the request was sent, ms after the burst started. */
  atMs: number;
  /** Latency, ms. */
  ms: number;
  status: number;
  body: string;
}

export interface BurstResult {
  /** Per request, in index order. */
  samples: BurstSample[];
  wallMs: number;
  /** Epoch ms at which the first request was sent. */
  startedAt: number;
}

export interface BurstProgress {
  done: number;
  total: number;
  elapsedMs: number;
  statuses: Record<string, number>;
}

const fill = (template: string, i: number) => template.replaceAll('{i}', String(i));

/**
 * Sends `spec.total` requests over `spec.connections` keep-alive connections (loopback only) as
 * fast as they are answered, recording each one's latency. Bounded by count: it stops by itself.
 */
export async function burst(spec: BurstSpec, onProgress?: (p: BurstProgress) => void): Promise<BurstResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const samples: BurstSample[] = new Array(spec.total);
  const statuses: Record<string, number> = {};
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const startedAt = Date.now();
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const target = new URL(fill(spec.urls?.length ? (spec.urls[i % spec.urls.length] as string) : spec.url, i));
      const body = spec.body === undefined ? undefined : fill(spec.body, i);
      const headers: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k] = fill(v, i);
      if (spec.authorizations?.length) headers.authorization = spec.authorizations[i % spec.authorizations.length] as string;
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
      const started = performance.now();
      const record = (status: number, text: string) => {
        samples[i] = { atMs: started - t0, ms: performance.now() - started, status, body: text };
        statuses[status] = (statuses[status] ?? 0) + 1;
        done += 1;
        resolve();
      };
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: spec.method ?? 'POST',
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => record(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
        },
      );
      req.on('error', (error) => record(0, error.message));
      req.end(body);
    });
  const timer =
    onProgress && spec.progressMs
      ? setInterval(
          () => onProgress({ done, total: spec.total, elapsedMs: performance.now() - t0, statuses: { ...statuses } }),
          spec.progressMs,
        )
      : undefined;
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      for (let i = next++; i < spec.total; i = next++) await one(i);
    }),
  );
  clearInterval(timer);
  const wallMs = performance.now() - t0;
  agent.destroy();
  return { samples, wallMs, startedAt };
}

/**
 * `burst` from a separate Node process (burst-worker.ts), so the load generator shares neither the
 * event loop nor (as far as the OS allows) the core of the server it measures. Progress arrives
 * as the burst runs; by default a line every 2 s on the console.
 */
export async function burstInWorker(
  spec: BurstSpec,
  onProgress: (p: BurstProgress) => void = (p) =>
    console.log(`[bench]   ${p.done}/${p.total} answered in ${(p.elapsedMs / 1000).toFixed(1)} s ${JSON.stringify(p.statuses)}`),
): Promise<BurstResult> {
  const child = fork(fileURLToPath(new URL('./burst-worker.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type: 'progress'; progress: BurstProgress } | { type: 'result'; result: BurstResult }) => {
      if (m.type === 'progress') onProgress(m.progress);
      else resolve(m.result);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`burst process exited with ${code}`));
    });
    child.send({ progressMs: 2000, ...spec });
  });
}
