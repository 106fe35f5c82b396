/**
 * npm run bench:read — the hot read path, measured side by side in one run:
 *  1. HTTP: GET /v1/products/{sku} on the local runtime (warm L1) vs a bare node:http server
 *     answering the same bytes, with the same load generator and settings (autocannon in a child
 *     process: it never shares the servers' event loop).
 *  2. Handler: cost of one cache-hit invocation, and of a miss against DynamoDB Local.
 *  3. Aggregation: serial vs concurrent sources with injected latencies 50/30/20 ms.
 *  4. Bundle size and module init time per function.
 */

import { performance } from 'node:perf_hooks';
import { systemClock } from '../lambdas/domain/clock.js';
import type { CatalogReader } from '../lambdas/domain/product/ports.js';
import { defaultProductDetailOptions, ProductDetailService } from '../lambdas/domain/product/product-detail.js';
import type { Price, ProductInfo, Stock } from '../lambdas/domain/product/types.js';
import { proxyEvent } from '../lib/local/api-gateway/proxy-event.js';
import { DEMO_SKU } from '../lib/local/demo-data.js';
import { functionFootprints } from './lib/functions.js';
import { bareServer, type HttpResult, load, snapshot } from './lib/http.js';
import { percentile, round, verdict, writeReport } from './lib/report.js';
import { benchRuntime } from './lib/runtime.js';
import { lineChart } from './lib/svg.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** Functions that bundle the DAX client (their target is the DAX reader's). */
const DAX_FUNCTIONS = new Set(['product-read', 'catalog-stream']);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const runtime = await benchRuntime();

try {
  // 1. HTTP, our path vs bare node:http with the same bytes
  const url = `${runtime.url}/v1/products/${DEMO_SKU}`;
  for (let i = 0; i < 200; i++) await (await fetch(url)).arrayBuffer();
  const snap = await snapshot(url);
  const bare = await bareServer(snap.status, snap.headers, snap.body);
  console.log(`[bench] HTTP: ${SECONDS}s each, ${CONNECTIONS} connections, load generator in its own process`);
  await load(url, { seconds: 6, connections: CONNECTIONS }); // warm-up (JIT: the gateway, host and handler take a few seconds)
  await load(bare.url, { seconds: 2, connections: CONNECTIONS });
  // Each server's own CPU (this process hosts both, one at a time) beside its throughput.
  const measure = async (target: string, name: string) => {
    console.log(`[bench]   ${name}: ${SECONDS} s…`);
    const before = process.cpuUsage();
    const result = await load(target, { seconds: SECONDS, connections: CONNECTIONS });
    const cpu = process.cpuUsage(before);
    return { ...result, cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, result.total) };
  };
  const ours = await measure(url, 'Crest');
  const baseline = await measure(bare.url, 'bare node:http');
  await bare.close();
  const httpRatio = ours.requestsPerSec / baseline.requestsPerSec;

  // 2. Handler cost: the hosted bundle, invoked directly
  const route = runtime.api.routes.find((r) => r.resourcePath === '/v1/products/{sku}');
  if (!route) throw new Error('no product route');
  const fn = runtime.host.get(route.functionLogicalId);
  const event = (sku: string) =>
    proxyEvent({ method: 'GET', resource: route.resourcePath, path: `/v1/products/${sku}`, pathParameters: { sku }, stage: 'live' });
  const hitEvent = event(DEMO_SKU);
  for (let i = 0; i < 20_000; i++) await fn.invoke(hitEvent);
  const HITS = 200_000;
  const hitStart = performance.now();
  for (let i = 0; i < HITS; i++) await fn.invoke(hitEvent);
  const hitUs = ((performance.now() - hitStart) * 1000) / HITS;
  const missSamples: number[] = [];
  for (let i = 101; i <= 600; i++) {
    const e = event(`DEMO-${String(i).padStart(4, '0')}`);
    const t = performance.now();
    await fn.invoke(e);
    missSamples.push((performance.now() - t) * 1000);
  }
  missSamples.sort((a, b) => a - b);

  // 3. Aggregation: serial vs concurrent with injected latencies
  const delayed = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));
  const sku = 'AGG-1';
  const slow: CatalogReader = {
    getInfo: () => delayed<ProductInfo>(50, { sku, name: 'n', description: 'd', version: 1 }),
    getPrice: () => delayed<Price>(30, { sku, amount: 1, original: 1, currency: 'USD', version: 1 }),
    getStock: () => delayed<Stock>(20, { sku, quantity: 1, version: 1 }),
  };
  const noCache = {
    ...defaultProductDetailOptions,
    cacheTtlMs: { info: 0, price: 0, stock: 0 },
    negativeTtlMs: 0,
    timeoutMs: { info: 1000, price: 1000, stock: 1000 },
  };
  const service = new ProductDetailService(slow, systemClock, noCache);
  const serial: number[] = [];
  const concurrent: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    await slow.getInfo(sku);
    await slow.getPrice(sku);
    await slow.getStock(sku);
    serial.push(performance.now() - t);
    t = performance.now();
    await service.get(sku);
    concurrent.push(performance.now() - t);
  }
  serial.sort((a, b) => a - b);
  concurrent.sort((a, b) => a - b);
  const concurrentP50 = percentile(concurrent, 50);

  // 4. Bundle size and init time
  // Every function's configuration as the runtime resolved it (they fail fast at import without
  // it; deductions-api reads its id secret from the runtime's local Secrets Manager at init).
  const footprints = await functionFootprints(Object.assign({ AWS_REGION: 'us-east-1' }, ...runtime.host.all().map((f) => f.environment)));
  const reader = footprints.find((f) => f.name === 'product-read');

  await writeReport(
    'read',
    'bench:read — hot product reads',
    [
      { metric: `HTTP req/s, Crest local runtime (warm L1, ${CONNECTIONS} conns)`, value: round(ours.requestsPerSec, 0) },
      { metric: 'HTTP req/s, bare node:http (same bytes)', value: round(baseline.requestsPerSec, 0) },
      { metric: 'HTTP ratio Crest / bare', value: round(httpRatio, 2), target: '≥ 0.7', verdict: verdict(httpRatio >= 0.7) },
      {
        metric: 'Server CPU per request, Crest / bare (µs, user + system)',
        value: `${round(ours.cpuUsPerRequest)} / ${round(baseline.cpuUsPerRequest)}`,
      },
      { metric: 'HTTP p50 / p99 latency, Crest (ms)', value: `${ours.p50Ms} / ${ours.p99Ms}` },
      { metric: 'HTTP p50 / p99 latency, bare (ms)', value: `${baseline.p50Ms} / ${baseline.p99Ms}` },
      {
        metric: 'HTTP non-2xx + errors, Crest',
        value: ours.non2xx + ours.errors,
        target: '0',
        verdict: verdict(ours.non2xx + ours.errors === 0),
      },
      { metric: 'Handler cost per cache hit (µs, mean of 200k)', value: round(hitUs, 2), target: '≤ 25', verdict: verdict(hitUs <= 25) },
      {
        metric: 'Handler cost per miss vs DynamoDB Local (µs, p50 / p99)',
        value: `${round(percentile(missSamples, 50), 0)} / ${round(percentile(missSamples, 99), 0)}`,
      },
      { metric: 'Aggregation serial 50+30+20 ms (ms, p50)', value: round(percentile(serial, 50)) },
      {
        metric: 'Aggregation concurrent (ms, p50)',
        value: round(concurrentP50),
        target: '≤ 55 (slowest + 5)',
        verdict: verdict(concurrentP50 <= 55),
      },
      ...footprints.map((f) => ({
        metric: `Bundle ${f.name} (KB, minified, no maps)`,
        value: f.bundleKB,
        target: DAX_FUNCTIONS.has(f.name) ? '≤ 850 (reads/writes through DAX)' : '≤ 400',
        verdict: verdict(f.bundleKB <= (DAX_FUNCTIONS.has(f.name) ? 850 : 400)),
      })),
      ...footprints.map((f) => ({ metric: `Module init ${f.name} (ms, p50 of 5)`, value: f.initMsP50 })),
    ],
    {
      ours,
      baseline,
      hitUs,
      missSamplesUs: { p50: percentile(missSamples, 50), p99: percentile(missSamples, 99) },
      serial,
      concurrent,
      footprints,
      reader,
    },
    {
      summary: {
        httpRatio: round(httpRatio, 3),
        crestRequestsPerSec: round(ours.requestsPerSec, 0),
        bareRequestsPerSec: round(baseline.requestsPerSec, 0),
      },
      charts: httpCharts(ours, baseline),
      notes: [
        "The load generator (autocannon) runs in a child process; the bare server and the local runtime run, one after the other, in the benchmark process. CPU per request is that process's user + system time over the run divided by the requests answered.",
      ],
    },
  );
} finally {
  await runtime.stop();
}

function httpCharts(ours: HttpResult, bare: HttpResult) {
  const series = (r: HttpResult, name: string, pick: (p: HttpResult['timeline'][number]) => number, dashed = false) => ({
    name,
    dashed,
    points: r.timeline.map((p) => [p.t, pick(p)] as const),
  });
  return [
    {
      id: 'latency',
      title: 'GET /v1/products/{sku}: latency over time',
      svg: lineChart({
        title: `GET /v1/products/{sku}, ${CONNECTIONS} connections: latency per second (ms)`,
        xLabel: 'seconds into the run',
        yLabel: 'latency (ms)',
        series: [
          series(ours, 'Crest p50', (p) => p.p50Ms),
          series(ours, 'Crest p99', (p) => p.p99Ms),
          series(bare, 'bare node:http p50', (p) => p.p50Ms, true),
          series(bare, 'bare node:http p99', (p) => p.p99Ms, true),
        ],
      }),
    },
    {
      id: 'throughput',
      title: 'GET /v1/products/{sku}: requests per second',
      svg: lineChart({
        title: 'Requests answered per second',
        xLabel: 'seconds into the run',
        yLabel: 'requests / s',
        series: [
          series(ours, 'Crest (local runtime)', (p) => p.requests),
          series(bare, 'bare node:http, same bytes', (p) => p.requests, true),
        ],
      }),
    },
  ];
}
