/**
 * npm run bench:holds — 1,000 holds on one SKU expiring together, through the local runtime
 * (HOLD_SECONDS=30, the shortest window): a burst of 1,000 buyers takes every unit, nobody
 * confirms, and the holds expire. Reports expiry lateness (units back in stock after each hold's
 * deadline) p50/p99, the stock writes the release took, the sold-out flag clearing, the events
 * published, and checks the invariant (stock on hand + held + confirmed = the units there were).
 */

import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { soldOutFlagFromItem, soldOutFlagKey } from '../lambdas/adapters/catalog-items.js';
import { DynamoCatalogReader } from '../lambdas/adapters/dynamo-catalog.js';
import { DynamoDeductions } from '../lambdas/adapters/dynamo-deductions.js';
import { systemClock } from '../lambdas/domain/clock.js';
import type { Deduction } from '../lambdas/domain/deductions/types.js';
import { ROOT } from '../lib/build/functions.js';
import { flashSaleProduct, seedCatalog } from '../lib/local/demo-data.js';
import { burstInWorker } from './lib/burst.js';
import { percentile, round, verdict, writeReport } from './lib/report.js';
import { benchRuntime } from './lib/runtime.js';

const HOLDS = Number(process.env.BENCH_HOLDS ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const HOLD_SECONDS = 30;
const SKU = 'HOLDS-1';
/** The target (issue #11): units back in stock within 5 s of the deadline at p99. */
const LATENESS_TARGET_MS = 5_000;

// The functions' own accounting: their JSON log lines on stdout.
const expiry = { invocations: 0, expired: 0, stockWrites: 0, conflicts: 0, redelayed: 0 };
const events = { timersScheduled: 0, published: 0 };
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  if (text.startsWith('{')) {
    for (const line of text.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as Record<string, number> & { message?: string };
      if (entry.message === 'Holds expired') {
        expiry.invocations += 1;
        expiry.expired += entry.expired ?? 0;
        expiry.stockWrites += entry.stockWrites ?? 0;
        expiry.conflicts += entry.conflicts ?? 0;
        expiry.redelayed += entry.redelayed ?? 0;
      } else if (entry.message === 'Transitions handled') {
        events.timersScheduled += entry.timersScheduled ?? 0;
        events.published += entry.published ?? 0;
      }
    }
    return true;
  }
  return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

const runtime = await benchRuntime({ seed: false, context: { holdSeconds: HOLD_SECONDS } });
const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
const catalogTable = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
const deductionsTable = runtime.resourceName('AWS::DynamoDB::Table', 'StockDeductions');
await seedCatalog(doc, catalogTable, [flashSaleProduct(HOLDS, SKU)]);
const catalog = new DynamoCatalogReader(doc, catalogTable);
const ledger = new DynamoDeductions(doc, { catalog: catalogTable, deductions: deductionsTable }, systemClock);
const soldOut = async () =>
  soldOutFlagFromItem((await doc.send(new GetCommand({ TableName: catalogTable, Key: soldOutFlagKey(SKU), ConsistentRead: true }))).Item)
    ?.soldOut;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Reads every record, 50 at a time (a bounded load on DynamoDB Local). */
const readAll = async (ids: string[]) => {
  const out: Array<Deduction | null> = [];
  for (let i = 0; i < ids.length; i += 50) out.push(...(await Promise.all(ids.slice(i, i + 50).map((id) => ledger.get(id)))));
  return out;
};

try {
  const tokens: string[] = [];
  for (let i = 0; i < HOLDS; i++) tokens.push(await runtime.token(`holder-${i}`));
  console.log(`[bench] ${HOLDS} buyers take all ${HOLDS} units of ${SKU}; holds last ${HOLD_SECONDS} s and nobody confirms`);
  const burst = await burstInWorker({
    url: `${runtime.url}/v1/products/${SKU}/deductions`,
    total: HOLDS,
    connections: CONNECTIONS,
    headers: { 'content-type': 'application/json', 'idempotency-key': `holds-${Date.now()}-{i}` },
    body: '{"quantity":1}',
    authorizations: tokens,
  });
  const ids = burst.samples.filter((s) => s.status === 202).map((s) => JSON.parse(s.body).id as string);
  // Decided: the deductions queue drained (cheap queue-depth polls), then every record read once.
  await runtime.settle(300_000);
  const decided = await readAll(ids);
  const held = decided.filter((r): r is Deduction => r?.status === 'HELD');
  const deadlines = held.map((r) => r.holdUntil ?? 0).sort((a, b) => a - b);
  const stockBefore = await catalog.getStock(SKU);
  const flagSet = await soldOut();
  console.log(
    `[bench] ${held.length} HELD; deadlines within ${round(((deadlines.at(-1) ?? 0) - (deadlines[0] ?? 0)) / 1000, 2)} s of each other; waiting for expiry`,
  );

  // Released: stock back to where it was (one GetItem a poll), then every record read once.
  const waitFrom = performance.now();
  for (;;) {
    const stock = await catalog.getStock(SKU);
    if ((stock?.quantity ?? 0) >= HOLDS || performance.now() - waitFrom > HOLD_SECONDS * 1000 + 120_000) break;
    await sleep(100);
  }
  const releasedAt = Date.now();
  let flagClearedAt = 0;
  for (const until = Date.now() + 30_000; Date.now() < until; await sleep(50)) {
    if ((await soldOut()) === false) {
      flagClearedAt = Date.now();
      break;
    }
  }
  await runtime.settle(120_000);
  const stockAfter = await catalog.getStock(SKU);
  const final = (await readAll(held.map((r) => r.id))).filter((r): r is Deduction => r !== null);
  const expired = final.filter((r) => r.status === 'EXPIRED');
  const lateness = expired.map((r) => (r.completedAt ?? 0) - (r.holdUntil ?? 0)).sort((a, b) => a - b);
  const stillOut = final.filter((r) => r.status === 'HELD' || r.status === 'CONFIRMED').reduce((s, r) => s + r.quantity, 0);
  const total = (stockAfter?.quantity ?? 0) + stillOut;
  const stockWrites = (stockAfter?.version ?? 0) - (stockBefore?.version ?? 0);
  const recorded = runtime.events.list({ type: 'Deduction', limit: 10_000 });
  const published = (status: string) =>
    new Set(recorded.filter((e) => e['detail-type'] === `Deduction ${status}`).map((e) => (e.detail as { id: string }).id)).size;
  const lastExpiry = Math.max(...expired.map((r) => r.completedAt ?? 0));
  const p99 = percentile(lateness, 99);

  await writeReport(
    'holds',
    `bench:holds — ${HOLDS} holds on one SKU expiring together`,
    [
      { metric: 'Commit / hold window', value: `${commit} / ${HOLD_SECONDS} s` },
      { metric: 'Holds taken (HELD) / units', value: `${held.length} / ${HOLDS}` },
      { metric: 'Spread of their deadlines (s)', value: round(((deadlines.at(-1) ?? 0) - (deadlines[0] ?? 0)) / 1000, 2) },
      { metric: 'Sold-out flag set while every unit was held', value: String(flagSet), verdict: verdict(flagSet === true) },
      { metric: 'Holds expired', value: `${expired.length} / ${held.length}`, verdict: verdict(expired.length === held.length) },
      {
        metric: 'Expiry lateness p50 / p99 / max (ms): units back in stock after the deadline',
        value: `${round(percentile(lateness, 50), 0)} / ${round(p99, 0)} / ${round(lateness.at(-1) ?? Number.NaN, 0)}`,
        target: `p99 ≤ ${LATENESS_TARGET_MS}`,
        verdict: verdict(p99 <= LATENESS_TARGET_MS),
      },
      {
        metric: 'Stock writes for the release (stock versions) / holds per write',
        value: `${stockWrites} / ${round(expired.length / Math.max(1, stockWrites), 1)}`,
        target: '≤ 49 holds a transaction',
      },
      {
        metric: 'hold-expiry invocations / transaction conflicts / timers sent again',
        value: `${expiry.invocations} / ${expiry.conflicts} / ${expiry.redelayed}`,
      },
      {
        metric: 'Sold-out flag cleared after the last unit came back (ms)',
        value: flagClearedAt ? Math.max(0, flagClearedAt - lastExpiry) : 'not cleared',
        verdict: verdict(flagClearedAt > 0),
      },
      {
        metric: 'Events published: Deduction HELD / Deduction EXPIRED',
        value: `${published('HELD')} / ${published('EXPIRED')}`,
        verdict: verdict(published('HELD') === held.length && published('EXPIRED') === expired.length),
      },
      {
        metric: 'Invariant: stock on hand + held + confirmed',
        value: `${stockAfter?.quantity ?? 0} + ${stillOut} = ${total}`,
        target: String(HOLDS),
        verdict: verdict(total === HOLDS),
      },
      {
        metric: 'Double returns / lost units',
        value: `${Math.max(0, total - HOLDS)} / ${Math.max(0, HOLDS - total)}`,
        target: '0 / 0',
        verdict: verdict(total === HOLDS),
      },
    ],
    {
      commit,
      node: process.version,
      holdSeconds: HOLD_SECONDS,
      holds: held.length,
      deadlineSpreadMs: (deadlines.at(-1) ?? 0) - (deadlines[0] ?? 0),
      latenessMs: { p50: percentile(lateness, 50), p99, max: lateness.at(-1) },
      stockWrites,
      expiry,
      events: { ...events, held: published('HELD'), expired: published('EXPIRED') },
      flagClearedAfterLastExpiryMs: flagClearedAt ? flagClearedAt - lastExpiry : null,
      releasedAt,
      invariant: { stock: stockAfter?.quantity, stillOut, total, expected: HOLDS },
    },
  );
} finally {
  await runtime.stop();
  process.stdout.write = write;
}
