/**
 * Runs autocannon in a child process of the benchmark (see load.ts), so the load generator never
 * shares the event loop of the servers it measures. Receives the options over IPC and answers
 * with the summary and a per-second timeline.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { perSecond } from './svg.js';

interface LoadSpec {
  url: string;
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
}

process.once('message', (spec: LoadSpec) => {
  const samples: Array<{ atMs: number; value: number }> = [];
  let t0 = 0;
  const instance = autocannon(
    { url: spec.url, duration: spec.seconds, connections: spec.connections, pipelining: 1, headers: spec.headers },
    (error, result) => {
      if (error) {
        process.send?.({ error: error.message }, () => process.exit(1));
        return;
      }
      const timeline = perSecond(samples)
        .filter((s) => s.t <= spec.seconds)
        .map((s) => ({ t: s.t, requests: s.count, p50Ms: s.p50, p99Ms: s.p99 }));
      process.send?.(
        {
          requestsPerSec: result.requests.average,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors,
          total: result.requests.total,
          timeline,
        },
        () => process.exit(0),
      );
    },
  );
  instance.on('start', () => {
    t0 = performance.now();
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    samples.push({ atMs: performance.now() - t0, value: responseTime });
  });
});
