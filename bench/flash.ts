/**
 * npm run bench:flash — a flash sale, measured side by side in one run:
 *   Crest: 20,000 POSTs /v1/products/{sku}/deductions for one SKU with 1,000 units, several hundred
 *          connections, one signed-in buyer each (an ID token from the local issuer), against the
 *          local runtime (Cognito authorizer → API → SQS → consumer capped at N).
 *   Naive: the same burst against a handler doing one synchronous conditional UpdateItem on the
 *          stock item per request.
 * Reports ingest latency, accepted rate, drain time, consumer concurrency, hot-item writes per
 * successful deduction, and oversold / lost / double-applied counts.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { productKey } from '../lambdas/adapters/catalog-items.js';
import { DynamoCatalogReader } from '../lambdas/adapters/dynamo-catalog.js';
import { DynamoDeductions } from '../lambdas/adapters/dynamo-deductions.js';
import { systemClock } from '../lambdas/domain/clock.js';
import type { Deduction } from '../lambdas/domain/deductions/types.js';
import { flashSaleProduct, seedCatalog } from '../lib/local/demo-data.js';
import { burstInWorker } from './lib/burst.js';
import { percentile, round, verdict, writeReport } from './lib/report.js';
import { benchRuntime } from './lib/runtime.js';

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 400);
const UNITS = 1_000;

// The consumer's own accounting: its "Batch settled" log lines (JSON on stdout).
const consumer = { stockWrites: 0, conflicts: 0, batches: 0 };
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  if (text.includes('"Batch settled"')) {
    for (const line of text.split('\n').filter((l) => l.includes('"Batch settled"'))) {
      const entry = JSON.parse(line) as { stockWrites: number; conflicts: number };
      consumer.stockWrites += entry.stockWrites;
      consumer.conflicts += entry.conflicts;
      consumer.batches += 1;
    }
    return true;
  }
  return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

const runtime = await benchRuntime({ seed: false });
const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
const catalogTable = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
const deductionsTable = runtime.resourceName('AWS::DynamoDB::Table', 'StockDeductions');
await seedCatalog(doc, catalogTable, [
  flashSaleProduct(UNITS, 'BENCH-CREST'),
  flashSaleProduct(UNITS, 'BENCH-NAIVE'),
  flashSaleProduct(1_000_000, 'WARM-CREST'),
  flashSaleProduct(1_000_000, 'WARM-NAIVE'),
]);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2_000);
const catalog = new DynamoCatalogReader(doc, catalogTable);
const ledger = new DynamoDeductions(doc, { catalog: catalogTable, deductions: deductionsTable }, systemClock);

const summarize = (samples: Array<{ ms: number }>) => {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
};
/** One buyer per request, as a flash sale has them: an ID token each, minted before the clock starts. */
const buyers = async (prefix: string, n: number) => {
  const started = performance.now();
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) tokens.push(await runtime.token(`${prefix}-${i}`));
  console.log(`[bench] ${n} buyer tokens minted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return tokens;
};
const buyUrl = (base: string, sku: string) => `${base}/v1/products/${sku}/deductions`;
const quarters = (samples: Array<{ ms: number }>) =>
  [0, 1, 2, 3].map((q) => summarize(samples.slice((q * samples.length) / 4, ((q + 1) * samples.length) / 4)).p99);

try {
  // Crest
  const cap = runtime.sqsSources[0]?.stats.concurrencyCap ?? 0;
  console.log(`[bench] warm-up: ${WARMUP} POSTs on another SKU (JIT, JVM, connection pools), then drain`);
  await burstInWorker({
    url: buyUrl(runtime.url, 'WARM-CREST'),
    total: WARMUP,
    connections: CONNECTIONS,
    keyPrefix: `warm-${Date.now()}`,
    authorizations: await buyers('warm-buyer', WARMUP),
  });
  await runtime.settle(300_000);
  Object.assign(consumer, { stockWrites: 0, conflicts: 0, batches: 0 });
  const warmMax = runtime.sqsSources[0]?.stats.maxInFlight ?? 0;
  console.log(`[bench] Crest: ${TOTAL} POSTs over ${CONNECTIONS} connections; consumer cap ${cap}`);
  const authorizations = await buyers('buyer', TOTAL);
  const t0 = performance.now();
  const ours = await burstInWorker({
    url: buyUrl(runtime.url, 'BENCH-CREST'),
    total: TOTAL,
    connections: CONNECTIONS,
    keyPrefix: `bench-${t0}`,
    authorizations,
  });
  const accepted = ours.samples.filter((s) => s.status === 202).map((s) => JSON.parse(s.body).id as string);
  let records: Array<Deduction | null> = [];
  for (;;) {
    records = await Promise.all(accepted.map((id) => ledger.get(id)));
    if (records.every((r) => r && r.status !== 'QUEUED') || performance.now() - t0 > 300_000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const drainMs = performance.now() - t0;
  const succeeded = records.filter((r) => r?.status === 'HELD');
  const oursStock = await catalog.getStock('BENCH-CREST');
  const soldUnits = succeeded.reduce((s, r) => s + (r?.quantity ?? 0), 0);
  const oursWritesCommitted = (oursStock?.version ?? 1) - 1;
  const oursHotAttempts = consumer.stockWrites + consumer.conflicts;
  const oursCheck = {
    oversold: Math.max(0, soldUnits - UNITS) + Math.max(0, -(oursStock?.quantity ?? 0)),
    lost: records.filter((r) => !r || r.status === 'QUEUED').length,
    doubleApplied: Math.max(0, UNITS - (oursStock?.quantity ?? 0) - soldUnits),
  };
  const statuses = (samples: Array<{ status: number }>) => {
    const counts: Record<string, number> = {};
    for (const s of samples) counts[s.status] = (counts[s.status] ?? 0) + 1;
    return counts;
  };

  // Naive baseline: one synchronous conditional UpdateItem per request, in the handler.
  let naiveAttempts = 0;
  const naive = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const { quantity } = JSON.parse(Buffer.concat(chunks).toString()) as { quantity: number };
      const sku = decodeURIComponent(/^\/v1\/products\/([^/]+)\/deductions$/.exec(req.url ?? '')?.[1] ?? '');
      naiveAttempts += 1;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: catalogTable,
            Key: productKey(sku, 'stock'),
            UpdateExpression: 'SET quantity = quantity - :q, version = version + :one',
            ConditionExpression: 'quantity >= :q',
            ExpressionAttributeValues: { ':q': quantity, ':one': 1 },
          }),
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"SUCCEEDED"}');
      } catch (error) {
        const sold = (error as Error).name === 'ConditionalCheckFailedException';
        res
          .writeHead(sold ? 409 : 503, { 'content-type': 'application/json' })
          .end(`{"error":{"code":"${sold ? 'SOLD_OUT' : 'UNAVAILABLE'}"}}`);
      }
    });
  });
  await new Promise<void>((r) => naive.listen(0, '127.0.0.1', r));
  const naiveBase = `http://127.0.0.1:${(naive.address() as AddressInfo).port}`;
  await burstInWorker({ url: buyUrl(naiveBase, 'WARM-NAIVE'), total: WARMUP, connections: CONNECTIONS });
  naiveAttempts = 0;
  console.log(`[bench] naive baseline: ${TOTAL} POSTs over ${CONNECTIONS} connections`);
  const base = await burstInWorker({ url: buyUrl(naiveBase, 'BENCH-NAIVE'), total: TOTAL, connections: CONNECTIONS });
  naive.close();
  const naiveStock = await catalog.getStock('BENCH-NAIVE');
  const naiveSold = base.samples.filter((s) => s.status === 200).length;
  const naiveCommitted = (naiveStock?.version ?? 1) - 1;

  const oursLatency = summarize(ours.samples);
  const baseLatency = summarize(base.samples);
  const oursPerSuccess = oursHotAttempts / Math.max(1, succeeded.length);
  const naivePerSuccess = naiveAttempts / Math.max(1, naiveSold);
  const writeRatio = naivePerSuccess / Math.max(1e-9, oursPerSuccess);
  const q = quarters(ours.samples);
  const maxConcurrency = Math.max(warmMax, runtime.sqsSources[0]?.stats.maxInFlight ?? 0);

  await writeReport(
    'flash',
    'bench:flash — 20,000-request flash sale, Crest vs naive',
    [
      { metric: 'Requests / connections / units', value: `${TOTAL} / ${CONNECTIONS} / ${UNITS}` },
      { metric: 'Crest ingest p50 / p99 (ms)', value: `${oursLatency.p50} / ${oursLatency.p99}` },
      { metric: 'Naive ingest p50 / p99 (ms)', value: `${baseLatency.p50} / ${baseLatency.p99}` },
      { metric: 'Crest ingest p99 by quarter of the burst (ms)', value: q.join(' / '), target: 'flat while draining' },
      { metric: 'Crest responses', value: JSON.stringify(statuses(ours.samples)) },
      { metric: 'Naive responses', value: JSON.stringify(statuses(base.samples)) },
      { metric: 'Crest accepted (202) rate', value: `${round((accepted.length / TOTAL) * 100)}% (${accepted.length})` },
      { metric: 'Crest ingest throughput (req/s)', value: round(TOTAL / (ours.wallMs / 1000), 0) },
      { metric: 'Naive throughput (req/s)', value: round(TOTAL / (base.wallMs / 1000), 0) },
      { metric: 'Crest drain time, burst start → all accepted settled (s)', value: round(drainMs / 1000, 2) },
      { metric: 'Crest units sold', value: soldUnits, target: String(UNITS), verdict: verdict(soldUnits === UNITS) },
      { metric: 'Naive units sold', value: naiveSold },
      {
        metric: 'Max observed consumer concurrency',
        value: `${maxConcurrency} (cap ${cap})`,
        target: `≤ ${cap}`,
        verdict: verdict(maxConcurrency <= cap),
      },
      { metric: 'Crest hot-item writes committed (stock versions)', value: oursWritesCommitted },
      {
        metric: 'Crest hot-item write attempts (committed + conflicts)',
        value: `${oursHotAttempts} (${consumer.conflicts} conflicts, ${consumer.batches} batches)`,
      },
      { metric: 'Naive hot-item write attempts (one per request)', value: `${naiveAttempts} (${naiveCommitted} committed)` },
      { metric: 'Hot-item write attempts per successful deduction, Crest', value: round(oursPerSuccess, 4) },
      { metric: 'Hot-item write attempts per successful deduction, naive', value: round(naivePerSuccess, 2) },
      {
        metric: 'Ratio naive / Crest (hot-item writes per success)',
        value: `${round(writeRatio, 0)}×`,
        target: '≥ 10×',
        verdict: verdict(writeRatio >= 10),
      },
      {
        metric: 'Crest oversold / lost / double-applied',
        value: `${oursCheck.oversold} / ${oursCheck.lost} / ${oursCheck.doubleApplied}`,
        target: '0 / 0 / 0',
        verdict: verdict(oursCheck.oversold + oursCheck.lost + oursCheck.doubleApplied === 0),
      },
      { metric: 'Naive oversold', value: Math.max(0, naiveSold - UNITS) },
    ],
    {
      ours: { latency: oursLatency, quarters: q, wallMs: ours.wallMs, drainMs, consumer, check: oursCheck },
      naive: { latency: baseLatency, wallMs: base.wallMs, naiveAttempts, naiveCommitted },
    },
  );
} finally {
  await runtime.stop();
  process.stdout.write = write;
}
