/**
 * npm run bench:invalidate — how long until a write is visible, locally:
 *  - price write (admin PUT) → first GET /v1/products/{sku} that shows the new price version,
 *    printed beside the documented bound (the L1 price TTL);
 *  - stock write crossing zero → the sold-out flag set by the stream processor (stream lag).
 */

import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { soldOutFlagFromItem, soldOutFlagKey } from '../lambdas/adapters/catalog-items.js';
import { defaultProductDetailOptions } from '../lambdas/domain/product/product-detail.js';
import { flashSaleProduct, seedCatalog } from '../lib/local/demo-data.js';
import { percentile, round, verdict, writeReport } from './lib/report.js';
import { benchRuntime } from './lib/runtime.js';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 200);
const CONCURRENCY = 10;
const POLL_MS = 20;
const PRICE_BOUND = defaultProductDetailOptions.cacheTtlMs.price;
const FLAG_BOUND = 1_000;

const runtime = await benchRuntime({ seed: false });
const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
const table = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
const skus = Array.from({ length: CONCURRENCY }, (_, i) => `INV-${i}`);
await seedCatalog(
  doc,
  table,
  skus.map((s) => flashSaleProduct(100, s)),
);
await runtime.settle();

const adminToken = await runtime.token('bench-admin', ['admins']);
const admin = async (path: string, body: unknown) => {
  const res = await fetch(`${runtime.url}/v1/admin/products/${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: adminToken },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { version: number };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  // Readers keep every product hot in L1, as production traffic would.
  let reading = true;
  const warm = Promise.all(
    skus.map(async (sku) => {
      while (reading) {
        await (await fetch(`${runtime.url}/v1/products/${sku}`)).arrayBuffer();
        await sleep(5);
      }
    }),
  );
  await sleep(500);

  const priceLatencies: number[] = [];
  const flagLatencies: number[] = [];
  let next = 0;
  await Promise.all(
    skus.map(async (sku) => {
      while (next < UPDATES) {
        const i = next++;
        // Writes land at a random phase of the readers' L1 TTL, as real writes do (right after a
        // poll reloaded the cache would always measure the worst case).
        await sleep(Math.random() * PRICE_BOUND);
        const started = performance.now();
        const { version } = await admin(`${sku}/price`, { amount: 1000 + i, currency: 'USD' });
        for (;;) {
          const body = (await (await fetch(`${runtime.url}/v1/products/${sku}`)).json()) as { versions: { price: number } };
          if (body.versions.price >= version) break;
          await sleep(POLL_MS);
        }
        priceLatencies.push(performance.now() - started);
        if (i % 4 === 0) {
          // Stock to zero and back: time until the stream processor has set, then cleared, the flag.
          for (const [quantity, soldOut] of [
            [0, true],
            [50, false],
          ] as const) {
            const t = performance.now();
            const stock = await admin(`${sku}/stock`, { quantity });
            for (;;) {
              const flag = soldOutFlagFromItem((await doc.send(new GetCommand({ TableName: table, Key: soldOutFlagKey(sku) }))).Item);
              if (flag && flag.soldOut === soldOut && flag.stockVersion >= stock.version) break;
              await sleep(POLL_MS);
            }
            flagLatencies.push(performance.now() - t);
          }
        }
      }
    }),
  );
  reading = false;
  await warm;
  priceLatencies.sort((a, b) => a - b);
  flagLatencies.sort((a, b) => a - b);
  const p99 = percentile(priceLatencies, 99);
  const flagP99 = percentile(flagLatencies, 99);

  await writeReport(
    'invalidate',
    'bench:invalidate — write-to-visible latency (local runtime)',
    [
      { metric: 'Price updates measured', value: priceLatencies.length },
      { metric: 'Price write → visible on GET, p50 (ms)', value: round(percentile(priceLatencies, 50)) },
      {
        metric: 'Price write → visible on GET, p99 / max (ms)',
        value: `${round(p99)} / ${round(priceLatencies[priceLatencies.length - 1] ?? 0)}`,
        target: `≤ ${PRICE_BOUND} + ${POLL_MS} poll (L1 price TTL)`,
        verdict: verdict(p99 <= PRICE_BOUND + POLL_MS + 100),
      },
      { metric: 'Stock crossing zero → sold-out flag (stream), p50 (ms)', value: round(percentile(flagLatencies, 50)) },
      {
        metric: 'Stock crossing zero → sold-out flag (stream), p99 (ms)',
        value: round(flagP99),
        target: `≤ ${FLAG_BOUND} (stream lag)`,
        verdict: verdict(flagP99 <= FLAG_BOUND),
      },
    ],
    { priceLatencies, flagLatencies, bounds: { price: PRICE_BOUND, flag: FLAG_BOUND } },
  );
} finally {
  await runtime.stop();
}
