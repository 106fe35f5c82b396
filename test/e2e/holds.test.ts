import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soldOutFlagFromItem, soldOutFlagKey } from '../../lambdas/adapters/catalog-items.js';
import { limitKey } from '../../lambdas/adapters/deduction-items.js';
import { DynamoCatalogReader } from '../../lambdas/adapters/dynamo-catalog.js';
import { DynamoDeductions } from '../../lambdas/adapters/dynamo-deductions.js';
import { systemClock } from '../../lambdas/domain/clock.js';
import type { Deduction } from '../../lambdas/domain/deductions/types.js';
import type { RecordedEvent } from '../../lib/local/aws-json/eventbridge.js';
import { flashSaleProduct, seedCatalog } from '../../lib/local/demo-data.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { call } from '../helpers/http.js';
import { bootRuntime } from '../helpers/runtime.js';

const UNITS = 60;
const BUYERS = 80;
const HOLD_SECONDS = 30;

/**
 * Holds end to end on the local runtime (HOLD_SECONDS=30): a sell-out, then a burst of holds
 * expiring while other buyers confirm and cancel around the deadline. Every unit comes back at
 * most once and none is lost; every transition is an event; the sold-out flag follows the stock.
 */
describe('holds through the local runtime (consumer → stream → events + expiry timers → hold-expiry)', () => {
  let runtime: LocalRuntime;
  let doc: DynamoDBDocumentClient;
  let ledger: DynamoDeductions;
  let catalog: DynamoCatalogReader;
  let catalogTable: string;
  let deductionsTable: string;

  beforeAll(async () => {
    runtime = await bootRuntime({
      seed: false,
      context: { holdSeconds: HOLD_SECONDS, apiThrottleRate: 1_000_000, apiThrottleBurst: 1_000_000 },
    });
    doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
    catalogTable = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
    deductionsTable = runtime.resourceName('AWS::DynamoDB::Table', 'StockDeductions');
    await seedCatalog(doc, catalogTable, [flashSaleProduct(UNITS, 'HOLD-1')]);
    ledger = new DynamoDeductions(doc, { catalog: catalogTable, deductions: deductionsTable }, systemClock);
    catalog = new DynamoCatalogReader(doc, catalogTable);
  });
  afterAll(() => runtime?.stop());

  const buyer = (i: number) => runtime.token(`holder-${i}`);
  const post = async (i: number, key: string) =>
    call(`${runtime.url}/v1/products/HOLD-1/deductions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: await buyer(i) },
      body: JSON.stringify({ quantity: 1 }),
    });
  const act = async (i: number, id: string, what: 'confirm' | 'cancel') =>
    call(`${runtime.url}/v1/deductions/${id}/${what}`, { method: 'POST', headers: { authorization: await buyer(i) } });
  async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const records = async (ids: string[]) => (await Promise.all(ids.map((id) => ledger.get(id)))) as Deduction[];
  const soldOut = async () =>
    soldOutFlagFromItem(
      (await doc.send(new GetCommand({ TableName: catalogTable, Key: soldOutFlagKey('HOLD-1'), ConsistentRead: true }))).Item,
    )?.soldOut;

  it('returns every unit of holds that expire while others confirm and cancel around the deadline, exactly once', async () => {
    const accepted = await Promise.all(Array.from({ length: BUYERS }, (_, i) => post(i, `hold-key-${i}-${Date.now()}`)));
    const ids = accepted.map((a) => a.body.id as string);
    const decided = await until(async () => {
      const rs = await records(ids);
      return rs.every((r) => r && r.status !== 'QUEUED') ? rs : undefined;
    }, 90_000);
    const held = decided.filter((r) => r.status === 'HELD');
    const flagWhileSoldOut = await until(async () => ((await soldOut()) ? true : undefined), 30_000);
    const deadline = Math.max(...held.map((r) => r.holdUntil ?? 0));
    const index = (id: string) => ids.indexOf(id);

    // Some confirm and cancel early; the rest act in the last seconds, as the expiries start.
    const [early, late] = [held.slice(0, 20), held.slice(20, 40)];
    const earlyAnswers = await Promise.all(
      early.map(async (r, k) => {
        const first = await act(index(r.id), r.id, k % 4 === 3 ? 'cancel' : 'confirm');
        // A refund: confirmed, then cancelled.
        return k % 4 === 2 ? [first, await act(index(r.id), r.id, 'cancel')] : [first];
      }),
    );
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() - 2_000)));
    const lateAnswers = await Promise.all(late.map((r, k) => act(index(r.id), r.id, k % 2 ? 'cancel' : 'confirm')));

    const final = await until(async () => {
      const rs = await records(held.map((r) => r.id));
      return rs.every((r) => r.status !== 'HELD') ? rs : undefined;
    }, 120_000);
    const back = await until(async () => ((await soldOut()) === false ? true : undefined), 30_000);
    const confirmed = final.filter((r) => r.status === 'CONFIRMED');
    const stock = await catalog.getStock('HOLD-1');
    const lateness = final.filter((r) => r.status === 'EXPIRED').map((r) => (r.completedAt ?? 0) - (r.holdUntil ?? 0));
    console.info(
      `holds e2e: ${held.length} held → ${confirmed.length} confirmed, ${final.filter((r) => r.status === 'CANCELLED').length} cancelled, ${lateness.length} expired (lateness max ${Math.max(...lateness)} ms); late confirms ${JSON.stringify(lateAnswers.map((a) => a.body.status ?? a.body.error?.code))}`,
    );

    expect(held).toHaveLength(UNITS);
    expect(decided.filter((r) => r.status === 'REJECTED').every((r) => r.reason === 'SOLD_OUT')).toBe(true);
    expect(flagWhileSoldOut).toBe(true);
    // Every early action answered as it should; late ones either won or were told the hold expired.
    expect(earlyAnswers.flat().every((a) => a.status === 200)).toBe(true);
    for (const [k, a] of lateAnswers.entries()) {
      const r = final.find((f) => f.id === late[k]?.id);
      if (a.status === 200) expect(r?.status).toBe(k % 2 ? 'CANCELLED' : 'CONFIRMED');
      else expect([a.body.error.code, r?.status]).toEqual(['HOLD_EXPIRED', 'EXPIRED']);
    }
    // The invariant: stock on hand + held + confirmed = the units there were. No unit returned
    // twice, none lost.
    expect(final.every((r) => ['CONFIRMED', 'CANCELLED', 'EXPIRED'].includes(r.status))).toBe(true);
    expect((stock?.quantity ?? 0) + confirmed.length).toBe(UNITS);
    expect(lateness.every((ms) => ms >= 0)).toBe(true);
    for (const r of final) {
      const marker = await doc.send(new GetCommand({ TableName: deductionsTable, Key: limitKey('HOLD-1', r.owner), ConsistentRead: true }));
      expect(marker.Item?.units).toBe(r.status === 'CONFIRMED' ? 1 : 0);
    }
    expect(back).toBe(true);
    expect((await post(BUYERS + 1, `after-${Date.now()}`)).status).toBe(202);

    // Every transition was published: /_local/events, newest first.
    await runtime.settle();
    const events = (await call(`${runtime.url}/_local/events?type=Deduction&limit=10000`)).body.events as RecordedEvent[];
    const story = (id: string) => [
      ...new Set(
        events
          .filter((e) => (e.detail as { id: string }).id === id)
          .reverse()
          .map((e) => e['detail-type'].replace('Deduction ', '')),
      ),
    ];
    for (const r of [...final, ...decided.filter((d) => d.status === 'REJECTED')]) {
      const expected =
        r.status === 'REJECTED'
          ? ['REJECTED']
          : r.status === 'CANCELLED' && r.confirmedAt
            ? ['HELD', 'CONFIRMED', 'CANCELLED']
            : ['HELD', r.status];
      expect([r.id, story(r.id)]).toEqual([r.id, expected]);
    }
    expect(events.every((e) => e.source === 'crest.deductions')).toBe(true);
  }, 300_000);
});
