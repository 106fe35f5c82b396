import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { productKey, stockAdjustment, stockItem } from '../../../../lambdas/adapters/catalog-items.js';
import { limitKey } from '../../../../lambdas/adapters/deduction-items.js';
import { DynamoDeductions } from '../../../../lambdas/adapters/dynamo-deductions.js';
import { requestHashOf } from '../../../../lambdas/domain/deductions/accept.js';
import { cancelDeduction } from '../../../../lambdas/domain/deductions/cancel.js';
import { confirmDeduction } from '../../../../lambdas/domain/deductions/confirm.js';
import { expiryMessageOf } from '../../../../lambdas/domain/deductions/events.js';
import { expireHolds, type ParsedExpiryMessage } from '../../../../lambdas/domain/deductions/expire-holds.js';
import type { HoldTimers, StockLedger } from '../../../../lambdas/domain/deductions/ports.js';
import { type ParsedMessage, processDeductionBatch } from '../../../../lambdas/domain/deductions/process-batch.js';
import type { Deduction, DeductionMessage, HoldExpiryMessage } from '../../../../lambdas/domain/deductions/types.js';
import { isCrestError } from '../../../../lambdas/domain/errors.js';
import { ManualClock } from '../../../helpers/clock.js';
import { chunkOf, testIds } from '../../../helpers/deductions.js';
import { localDocumentClient } from '../../../helpers/dynamo.js';
import { provisionResources } from '../../../helpers/tables.js';

const HOLD_MS = 30_000;
const LIMIT = 2;
const client = localDocumentClient();
let tables: { deductions: string; catalog: string };
let skuSeq = 0;

beforeAll(async () => {
  const resources = await provisionResources('Catalog', 'StockDeductionsTable');
  tables = { catalog: resources.table('Catalog'), deductions: resources.table('StockDeductionsTable') };
});

async function newSku(quantity: number): Promise<string> {
  skuSeq += 1;
  const sku = `LC-${process.pid}-${Date.now().toString(36)}-${skuSeq}`;
  await client.send(new PutCommand({ TableName: tables.catalog, Item: stockItem({ sku, quantity, version: 1 }, Date.now()) }));
  return sku;
}

const stockOf = async (sku: string) =>
  Number(
    (await client.send(new GetCommand({ TableName: tables.catalog, Key: productKey(sku, 'stock'), ConsistentRead: true }))).Item?.quantity,
  );
const markerOf = async (sku: string, owner: string) =>
  Number(
    (await client.send(new GetCommand({ TableName: tables.deductions, Key: limitKey(sku, owner), ConsistentRead: true }))).Item?.units ?? 0,
  );

/** A ledger that performs its `crashAt`-th write and then dies, as a Lambda killed right after a commit. */
function crashing(ledger: DynamoDeductions, crashAt: number): StockLedger {
  let writes = 0;
  const afterWrite = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    writes += 1;
    if (writes === crashAt) throw new Error('crashed after a write');
    return result;
  };
  return {
    snapshot: (...a) => ledger.snapshot(...a),
    hold: (...a) => afterWrite(ledger.hold(...a)),
    reject: (...a) => afterWrite(ledger.reject(...a)),
    confirm: (...a) => afterWrite(ledger.confirm(...a)),
    cancel: (...a) => afterWrite(ledger.cancel(...a)),
    expire: (...a) => afterWrite(ledger.expire(...a)),
  };
}

type Op =
  | { kind: 'accept'; buyer: number; quantity: number }
  | { kind: 'decide'; take: number; crashAt: number }
  | { kind: 'redeliver'; pick: number }
  | { kind: 'confirm'; pick: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'expire'; take: number; crashAt: number; early: boolean }
  | { kind: 'admin'; delta: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('accept' as const),
      buyer: fc.integer({ min: 0, max: 5 }),
      quantity: fc.integer({ min: 1, max: 2 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      take: fc.integer({ min: 1, max: 8 }),
      crashAt: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 20_000 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('expire' as const),
      take: fc.integer({ min: 1, max: 8 }),
      crashAt: fc.integer({ min: 0, max: 2 }),
      early: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('admin' as const), delta: fc.integer({ min: -3, max: 4 }) }) },
);

/**
 * One world: a SKU, its accepted requests, the deductions queue and the hold timers as lists the
 * test delivers from (with duplicates and crashes), and the clock every step reads.
 */
class World {
  readonly clock = new ManualClock(Date.now());
  readonly ledger = new DynamoDeductions(client, tables, this.clock);
  readonly ids: string[] = [];
  readonly owners = new Set<string>();
  queue: ParsedMessage[] = [];
  readonly delivered: ParsedMessage[] = [];
  timers: Array<{ visibleAt: number; parsed: ParsedExpiryMessage }> = [];
  /** Stock on hand + held + confirmed, as admin changes have moved it. */
  expectedTotal: number;
  private seq = 0;

  constructor(
    readonly sku: string,
    initial: number,
  ) {
    this.expectedTotal = initial;
  }

  /** Timers as the deduction-events function starts them, sent `early` ms before the deadline when asked. */
  readonly timerQueue: HoldTimers = {
    schedule: async (timers) => {
      for (const t of timers) this.timers.push({ visibleAt: this.clock.now() + t.delayMs, parsed: this.timerMessage(t.message) });
      return [];
    },
  };

  private timerMessage(message: HoldExpiryMessage): ParsedExpiryMessage {
    this.seq += 1;
    return { messageId: `t${this.seq}`, message };
  }

  async run(o: Op): Promise<void> {
    switch (o.kind) {
      case 'accept': {
        const owner = `b${o.buyer}`;
        const input = { sku: this.sku, quantity: o.quantity, owner };
        // Named before the first await: accepts running at once get keys of their own.
        const n = this.ids.length;
        const message: DeductionMessage = {
          v: 2,
          id: testIds(owner, `${this.sku}-${n}`),
          ...input,
          createdAt: this.clock.now(),
          requestHash: requestHashOf(input),
        };
        this.ids.push(message.id);
        this.owners.add(owner);
        await this.ledger.createIfAbsent({ ...message, status: 'QUEUED' } as unknown as Deduction);
        this.queue.push({ messageId: `m${n}`, message });
        return;
      }
      case 'redeliver': {
        const again = this.delivered[o.pick % Math.max(1, this.delivered.length)];
        if (again) this.queue.push(again);
        return;
      }
      case 'decide': {
        const batch = this.queue.splice(0, o.take);
        if (batch.length === 0) return;
        const ledger = o.crashAt ? crashing(this.ledger, o.crashAt) : this.ledger;
        const outcome = await processDeductionBatch(batch, {
          ledger,
          store: this.ledger,
          clock: this.clock,
          limitPerUser: LIMIT,
          holdMs: HOLD_MS,
          sleep: async () => undefined,
        });
        // A crash loses the whole invocation: nothing of the batch was acknowledged.
        const crashed = outcome.failedMessageIds.length > 0;
        const failed = new Set(outcome.failedMessageIds);
        this.queue.push(...batch.filter((m) => crashed || failed.has(m.messageId)));
        this.delivered.push(...batch);
        await this.startTimers(batch.map((m) => m.message.id));
        return;
      }
      case 'confirm':
      case 'cancel': {
        // Mostly a deduction that was won (those are the interesting ones), now and then any.
        const won = (await this.records()).filter((r) => r.status === 'HELD' || r.status === 'CONFIRMED');
        const pool = o.pick % 4 === 0 || won.length === 0 ? await this.records() : won;
        const record = pool[o.pick % Math.max(1, pool.length)];
        if (!record) return;
        const id = record.id;
        const act = o.kind === 'confirm' ? confirmDeduction : cancelDeduction;
        await act(id, record.owner, { store: this.ledger, ledger: this.ledger, clock: this.clock }).catch((e: unknown) => {
          if (!isCrestError(e) || e.kind !== 'conflict') throw e;
        });
        return;
      }
      case 'tick':
        this.clock.advance(o.ms);
        return;
      case 'expire': {
        const now = this.clock.now();
        const ready = this.timers.filter((t) => t.visibleAt <= now || o.early).slice(0, o.take);
        this.timers = this.timers.filter((t) => !ready.includes(t));
        if (ready.length === 0) return;
        const ledger = o.crashAt ? crashing(this.ledger, o.crashAt) : this.ledger;
        const outcome = await expireHolds(
          ready.map((t) => t.parsed),
          { ledger, timers: this.timerQueue, clock: this.clock, sleep: async () => undefined },
        );
        const crashed = outcome.failedMessageIds.length > 0;
        const failed = new Set(outcome.failedMessageIds);
        // Redelivered after the visibility timeout; a duplicate of a delivered timer now and then.
        this.timers.push(...ready.filter((t) => crashed || failed.has(t.parsed.messageId)).map((t) => ({ ...t, visibleAt: now })));
        if (ready[0]) this.timers.push({ ...ready[0], visibleAt: now });
        return;
      }
      case 'admin': {
        try {
          await client.send(
            new UpdateCommand({ TableName: tables.catalog, ...stockAdjustment(this.sku, { delta: o.delta, now: this.clock.now() }) }),
          );
          this.expectedTotal += o.delta;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
    }
  }

  /** What the table's stream would make of the batch's records: a timer for each new hold. */
  private async startTimers(ids: readonly string[]): Promise<void> {
    const known = new Set(this.timers.map((t) => t.parsed.message.id));
    for (const id of new Set(ids)) {
      const record = await this.ledger.get(id);
      if (record?.status === 'HELD' && !known.has(id)) {
        await this.timerQueue.schedule([{ message: expiryMessageOf(record), delayMs: (record.holdUntil ?? 0) - this.clock.now() }]);
      }
    }
  }

  async records(): Promise<Deduction[]> {
    return (await Promise.all(this.ids.map((id) => this.ledger.get(id)))).filter((r): r is Deduction => r !== null);
  }

  /** stock + held + confirmed = the expected total; every marker = its owner's held + confirmed; nothing below zero. */
  async checkInvariant(): Promise<void> {
    const records = await this.records();
    const stock = await stockOf(this.sku);
    const out = records.filter((r) => r.status === 'HELD' || r.status === 'CONFIRMED');
    expect(stock).toBeGreaterThanOrEqual(0);
    expect(stock + out.reduce((s, r) => s + r.quantity, 0)).toBe(this.expectedTotal);
    for (const owner of this.owners) {
      const held = out.filter((r) => r.owner === owner).reduce((s, r) => s + r.quantity, 0);
      expect(await markerOf(this.sku, owner)).toBe(held);
      expect(held).toBeLessThanOrEqual(LIMIT);
    }
  }

  /** Everything delivered until nothing is left: every request decided, every hold past its deadline ended. */
  async drain(): Promise<void> {
    for (let round = 0; round < 50 && this.queue.length; round++) await this.run({ kind: 'decide', take: 10, crashAt: 0 });
    this.clock.advance(HOLD_MS + 1);
    for (let round = 0; round < 50 && this.timers.length; round++) await this.run({ kind: 'expire', take: 10, crashAt: 0, early: true });
  }
}

/** How the property's deductions ended, over all its runs. */
const tally = new Map<string, number>();
describe('the deduction lifecycle on DynamoDB Local', () => {
  it('keeps stock on hand + held + confirmed constant through any interleaving of accept, decide, confirm, cancel, expire, redelivery, crashes and admin changes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 5, maxLength: 25 }),
        async (initial, steps) => {
          const world = new World(await newSku(initial), initial);
          for (const step of steps) {
            // The ops of a step run at once: their DynamoDB calls interleave.
            await Promise.all(step.map((o) => world.run(o)));
            await world.checkInvariant();
          }
          await world.drain();
          await world.checkInvariant();

          const records = await world.records();
          for (const r of records) tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
          expect(records.filter((r) => r.status === 'QUEUED' || r.status === 'HELD')).toEqual([]);
          const confirmed = records.filter((r) => r.status === 'CONFIRMED').reduce((s, r) => s + r.quantity, 0);
          expect(await stockOf(world.sku)).toBe(world.expectedTotal - confirmed);
        },
      ),
      { numRuns: 12 },
    );
    // The runs between them took every way out of QUEUED and HELD.
    expect([...tally.keys()].sort()).toEqual(['CANCELLED', 'CONFIRMED', 'EXPIRED', 'REJECTED']);
  }, 300_000);

  it('lets exactly one of a confirm and an expiry racing for the same hold win, decided by DynamoDB', async () => {
    const HOLDS = 30;
    const sku = await newSku(HOLDS);
    const decided = new ManualClock(Date.now());
    const ledger = new DynamoDeductions(client, tables, decided);
    const holds = Array.from({ length: HOLDS }, (_, i) => {
      const input = { sku, quantity: 1, owner: `race${i}` };
      return {
        id: testIds(input.owner, `${sku}-race`),
        ...input,
        status: 'QUEUED' as const,
        createdAt: decided.now(),
        requestHash: requestHashOf(input),
      };
    });
    for (const d of holds) await ledger.createIfAbsent(d);
    const deadline = decided.now() + HOLD_MS;
    for (const d of holds) await ledger.hold(sku, chunkOf(d), 1, decided.now(), deadline);
    // The buyer confirms 1 ms before the deadline by their clock; the expiry runs 1 ms after by its own.
    const buyerClock = new ManualClock(deadline - 1);
    const expiryClock = new ManualClock(deadline + 1);

    const results = await Promise.all(
      holds.map(async (d) => {
        const [confirm, expiry] = await Promise.all([
          confirmDeduction(d.id, d.owner, { store: ledger, ledger, clock: buyerClock }).then(
            (r) => r.status,
            (e: { code?: string }) => e.code,
          ),
          expireHolds([{ messageId: d.id, message: expiryMessageOf({ ...d, holdUntil: deadline }) }], {
            ledger,
            timers: { schedule: async () => [] },
            clock: expiryClock,
            sleep: async () => undefined,
          }),
        ]);
        return { id: d.id, confirm, expired: expiry.expired };
      }),
    );

    const records = await Promise.all(holds.map((d) => ledger.get(d.id)));
    for (const [i, r] of results.entries()) {
      const status = records[i]?.status;
      // Exactly one winner per hold, and each side's answer agrees with it.
      expect(status === 'CONFIRMED' ? r.confirm : r.expired).toBe(status === 'CONFIRMED' ? 'CONFIRMED' : 1);
      expect(status === 'CONFIRMED' ? r.expired : r.confirm).toBe(status === 'CONFIRMED' ? 0 : 'HOLD_EXPIRED');
    }
    const confirmed = records.filter((r) => r?.status === 'CONFIRMED').length;
    expect(confirmed + records.filter((r) => r?.status === 'EXPIRED').length).toBe(HOLDS);
    expect(await stockOf(sku)).toBe(HOLDS - confirmed);
    for (const d of holds) expect(await markerOf(sku, d.owner)).toBe(records.find((r) => r?.id === d.id)?.status === 'CONFIRMED' ? 1 : 0);
  }, 120_000);
});
