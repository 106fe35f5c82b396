import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface HttpResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
  /** Per second of the run: requests answered and their latency percentiles. */
  timeline: Array<{ t: number; requests: number; p50Ms: number; p99Ms: number }>;
}

/**
 * Runs autocannon against `url` (loopback only) for `seconds` with `connections` keep-alive
 * connections, in a child process (load-worker.ts): the load generator never runs in the event
 * loop of the server it measures.
 */
export async function load(
  url: string,
  options: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<HttpResult> {
  const child = fork(fileURLToPath(new URL('./load-worker.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: HttpResult | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send({ url, ...options });
  });
}

/**
 * A bare node:http server that answers every request with exactly the bytes and headers our
 * route returned: the ceiling for "our path vs plain Node" comparisons.
 */
export async function bareServer(
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fetches `url` once and returns what a bare server needs to replay it byte for byte. */
export async function snapshot(url: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [k, v] of res.headers)
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(k)) headers[k] = v;
  return { status: res.status, headers, body };
}
