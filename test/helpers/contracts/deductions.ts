import { describe, expect, it } from 'vitest';
import type {
  AvailabilityView,
  DeductionEvents,
  DeductionQueue,
  DeductionStore,
  DeductionTransition,
  HoldTimers,
  StockLedger,
} from '../../../lambdas/domain/deductions/ports.js';
import type { DeductionMessage, HoldExpiryMessage } from '../../../lambdas/domain/deductions/types.js';
import { chunkOf, deduction } from '../deductions.js';

export interface DeductionsWorld {
  store: DeductionStore;
  ledger: StockLedger;
  /** Puts a stock item (the catalog's) holding `quantity`. */
  setStock(sku: string, quantity: number): Promise<void>;
}

let n = 0;
const newSku = () => `DT-${process.pid}-${Date.now().toString(36)}-${++n}`;
// Real time: the DynamoDB adapter derives TTLs from it, and a record past its TTL reads as absent.
const now = Date.now();
const HOLD_MS = 30_000;
const until = now + HOLD_MS;

/** What every DeductionStore does. */
export function deductionStoreContract(name: string, make: () => Promise<DeductionsWorld>) {
  describe(`${name} as DeductionStore`, () => {
    it('records a request once and hands back the first record to a second create', async () => {
      const { store } = await make();
      const first = deduction({ sku: newSku(), createdAt: now });

      const created = await store.createIfAbsent(first);
      const again = await store.createIfAbsent({ ...first, quantity: 9 });

      expect(created).toEqual({ created: true, record: first });
      expect(again).toEqual({ created: false, record: first });
      expect(await store.get(first.id)).toEqual(first);
    });

    it('keeps the correlation id of the request that created a record', async () => {
      const { store } = await make();
      const traced = deduction({ createdAt: now, correlationId: 'checkout-7.a:b_c' });

      await store.createIfAbsent(traced);
      const again = await store.createIfAbsent({ ...traced, correlationId: 'a-retry' });

      expect(await store.get(traced.id)).toEqual(traced);
      expect(again.record.correlationId).toBe('checkout-7.a:b_c');
    });

    it('answers null for an id never recorded', async () => {
      const { store } = await make();

      expect(await store.get(deduction().id)).toBeNull();
    });

    it('discards a record only while it is QUEUED', async () => {
      const { store, ledger, setStock } = await make();
      const sku = newSku();
      await setStock(sku, 5);
      const queued = deduction({ sku, createdAt: now });
      const held = deduction({ sku, createdAt: now });
      await store.createIfAbsent(queued);
      await store.createIfAbsent(held);
      await ledger.hold(sku, chunkOf(held), 1, now, until);

      await store.discardUnqueued(queued.id);
      await store.discardUnqueued(held.id);

      expect(await store.get(queued.id)).toBeNull();
      expect((await store.get(held.id))?.status).toBe('HELD');
    });
  });
}

/** What every StockLedger does. */
export function stockLedgerContract(name: string, make: () => Promise<DeductionsWorld>) {
  /** A SKU with `quantity` in stock and `ds` recorded (QUEUED), then the ones in `held` HELD. */
  async function world(quantity: number, ds: ReturnType<typeof deduction>[], held: ReturnType<typeof deduction>[] = [], limit = 2) {
    const w = await make();
    const sku = ds[0]?.sku ?? newSku();
    await w.setStock(sku, quantity);
    for (const d of ds) await w.store.createIfAbsent(d);
    if (held.length) expect(await w.ledger.hold(sku, chunkOf(...held), limit, now, until)).toBe('committed');
    const read = async () =>
      w.ledger.snapshot(
        sku,
        ds.map((d) => d.id),
        [...new Set(ds.map((d) => d.owner))],
      );
    return { ...w, sku, read };
  }
  const on = (sku: string, overrides: Partial<ReturnType<typeof deduction>> = {}) => deduction({ sku, createdAt: now, ...overrides });

  describe(`${name} as StockLedger`, () => {
    it('snapshots the stock, the named requests that exist and the named owners’ holdings', async () => {
      const sku = newSku();
      const held = on(sku, { owner: 'ann' });
      const { ledger } = await world(4, [held], [held]);
      const missing = deduction({ sku });

      const snap = await ledger.snapshot(sku, [held.id, missing.id], ['ann', 'bob']);

      expect(snap.stock).toMatchObject({ sku, quantity: 3 });
      expect([...snap.records.keys()]).toEqual([held.id]);
      expect(snap.holdings).toEqual(new Map([['ann', 1]]));
      expect((await ledger.snapshot(newSku(), [], [])).stock).toBeNull();
    });

    it('holds a chunk whole: stock down, requests HELD until the deadline, holdings up, version raised', async () => {
      const sku = newSku();
      const ds = [on(sku, { owner: 'u1', quantity: 2 }), on(sku, { owner: 'u2' })];
      const { ledger, read } = await world(10, ds);
      const before = (await read()).stock;

      expect(await ledger.hold(sku, chunkOf(...ds), 2, now, until)).toBe('committed');

      const after = await read();
      expect(after.stock?.quantity).toBe(7);
      expect(after.stock?.version).toBe((before?.version ?? 0) + 1);
      for (const d of ds) expect(after.records.get(d.id)).toMatchObject({ status: 'HELD', decidedAt: now, holdUntil: until });
      expect(after.holdings).toEqual(
        new Map([
          ['u1', 2],
          ['u2', 1],
        ]),
      );
    });

    it('refuses a chunk, changing nothing, when stock is short, a request is already decided or a limit would be passed', async () => {
      const sku = newSku();
      const done = on(sku, { owner: 'done' });
      const big = on(sku, { owner: 'big', quantity: 5 });
      const again = on(sku, { owner: 'done' });
      const { ledger, read } = await world(3, [done, big, again], [done], 1);

      expect(await ledger.hold(sku, chunkOf(big), 10, now, until)).toBe('conflict');
      expect(await ledger.hold(sku, chunkOf(done), 10, now, until)).toBe('conflict');
      expect(await ledger.hold(sku, chunkOf(again), 1, now, until)).toBe('conflict');

      const snap = await read();
      expect(snap.stock?.quantity).toBe(2);
      expect([big, again].map((d) => snap.records.get(d.id)?.status)).toEqual(['QUEUED', 'QUEUED']);
      expect(snap.holdings.get('done')).toBe(1);
    });

    it('rejects QUEUED requests in bulk, more than one transaction holds, each with its reason', async () => {
      const sku = newSku();
      const ds = Array.from({ length: 130 }, (_, i) => on(sku, { owner: `r${i}` }));
      const { ledger, read } = await world(0, ds);

      const rejected = await ledger.reject(
        ds.map((d, i) => ({ id: d.id, reason: i % 2 ? ('SOLD_OUT' as const) : ('LIMIT_EXCEEDED' as const) })),
        now,
      );

      const snap = await read();
      expect([...rejected].sort()).toEqual(ds.map((d) => d.id).sort());
      ds.forEach((d, i) => {
        expect(snap.records.get(d.id)).toMatchObject({
          status: 'REJECTED',
          reason: i % 2 ? 'SOLD_OUT' : 'LIMIT_EXCEEDED',
          decidedAt: now,
          completedAt: now,
        });
      });
    });

    it('leaves a request decided meanwhile as it is, and rejects (and names) the rest of its bulk', async () => {
      const sku = newSku();
      const ds = Array.from({ length: 6 }, (_, i) => on(sku, { owner: `m${i}` }));
      const decided = [ds[1], ds[4]] as ReturnType<typeof deduction>[];
      const { ledger, read } = await world(5, ds, decided);

      const rejected = await ledger.reject(
        ds.map((d) => ({ id: d.id, reason: 'SOLD_OUT' as const })),
        now,
      );

      const snap = await read();
      expect([...rejected].sort()).toEqual([ds[0], ds[2], ds[3], ds[5]].map((d) => d?.id).sort());
      expect(ds.map((d) => snap.records.get(d.id)?.status)).toEqual(['REJECTED', 'HELD', 'REJECTED', 'REJECTED', 'HELD', 'REJECTED']);
      expect(snap.stock?.quantity).toBe(3);
    });

    it('confirms a hold before its deadline, once; after the deadline it changes nothing', async () => {
      const sku = newSku();
      const [early, late] = [on(sku, { owner: 'early' }), on(sku, { owner: 'late' })];
      const { ledger, read } = await world(5, [early, late], [early, late]);

      expect(await ledger.confirm(early, until - 1)).toBe('confirmed');
      expect(await ledger.confirm(early, until - 1)).toBe('not-held');
      expect(await ledger.confirm(late, until)).toBe('not-held');

      const snap = await read();
      expect(snap.records.get(early.id)).toMatchObject({ status: 'CONFIRMED', confirmedAt: until - 1 });
      expect(snap.records.get(late.id)?.status).toBe('HELD');
      expect(snap.stock?.quantity).toBe(3);
    });

    it('cancels a hold (before its deadline) or a confirmed deduction once, giving units and allowance back', async () => {
      const sku = newSku();
      const [held, confirmed, overdue] = [on(sku, { owner: 'h', quantity: 2 }), on(sku, { owner: 'c' }), on(sku, { owner: 'o' })];
      const { ledger, read } = await world(10, [held, confirmed, overdue], [held, confirmed, overdue]);
      await ledger.confirm(confirmed, now + 1);

      expect(await ledger.cancel(held, now + 2)).toBe('cancelled');
      expect(await ledger.cancel(held, now + 3)).toBe('not-cancellable');
      expect(await ledger.cancel(confirmed, until + 5)).toBe('cancelled');
      expect(await ledger.cancel(overdue, until)).toBe('not-cancellable');

      const snap = await read();
      expect(snap.stock?.quantity).toBe(9);
      expect(snap.records.get(held.id)).toMatchObject({ status: 'CANCELLED', completedAt: now + 2 });
      expect(snap.records.get(confirmed.id)).toMatchObject({ status: 'CANCELLED', completedAt: until + 5 });
      expect(snap.records.get(overdue.id)?.status).toBe('HELD');
      expect([...snap.holdings]).toEqual(
        expect.arrayContaining([
          ['h', 0],
          ['c', 0],
          ['o', 1],
        ]),
      );
    });

    it('expires due holds together: one stock write returns their units, allowances come back', async () => {
      const sku = newSku();
      const ds = [on(sku, { owner: 'x', quantity: 2 }), on(sku, { owner: 'y' }), on(sku, { owner: 'z' })];
      const { ledger, read } = await world(6, ds, ds);
      const before = (await read()).stock;

      expect(await ledger.expire(sku, chunkOf(...ds), until)).toBe('committed');

      const snap = await read();
      expect(snap.stock).toMatchObject({ quantity: 6, version: (before?.version ?? 0) + 1 });
      for (const d of ds) expect(snap.records.get(d.id)).toMatchObject({ status: 'EXPIRED', completedAt: until });
      expect([...snap.holdings.values()]).toEqual([0, 0, 0]);
    });

    it('refuses to expire, changing nothing, a chunk with a hold not yet due or no longer HELD', async () => {
      const sku = newSku();
      const ds = [on(sku, { owner: 'p' }), on(sku, { owner: 'q' })];
      const { ledger, read } = await world(4, ds, ds);
      await ledger.confirm(ds[1] as ReturnType<typeof deduction>, now + 1);

      expect(await ledger.expire(sku, chunkOf(ds[0] as ReturnType<typeof deduction>), until - 1)).toBe('conflict');
      expect(await ledger.expire(sku, chunkOf(...ds), until)).toBe('conflict');

      const snap = await read();
      expect(snap.stock?.quantity).toBe(2);
      expect(ds.map((d) => snap.records.get(d.id)?.status)).toEqual(['HELD', 'CONFIRMED']);
      expect([...snap.holdings.values()]).toEqual([1, 1]);
    });
  });
}

export interface AvailabilityWorld {
  /** A view with nothing cached yet. */
  view(): AvailabilityView;
  setStock(sku: string, quantity: number): Promise<void>;
  setFlag(sku: string, soldOut: boolean, stockVersion: number): Promise<void>;
}

/** What every AvailabilityView does. */
export function availabilityViewContract(name: string, make: () => Promise<AvailabilityWorld>) {
  describe(`${name} as AvailabilityView`, () => {
    it('knows a SKU from its stock until a sold-out flag exists, then goes by the flag', async () => {
      const world = await make();
      const [inStock, empty, flaggedOut, flaggedBack] = [newSku(), newSku(), newSku(), newSku()];
      await world.setStock(inStock, 3);
      await world.setStock(empty, 0);
      await world.setStock(flaggedOut, 3);
      await world.setFlag(flaggedOut, true, 2);
      await world.setStock(flaggedBack, 0);
      await world.setFlag(flaggedBack, false, 3);
      const view = world.view();

      expect(await view.availability(newSku())).toBe('unknown');
      expect(await view.availability(inStock)).toBe('available');
      expect(await view.availability(empty)).toBe('sold-out');
      expect(await view.availability(flaggedOut)).toBe('sold-out');
      expect(await view.availability(flaggedBack)).toBe('available');
    });
  });
}

export interface QueueWorld {
  queue: DeductionQueue;
  /** Every message enqueued so far (and not yet returned by an earlier call). */
  received(): Promise<DeductionMessage[]>;
}

/** What every DeductionQueue does. */
export function deductionQueueContract(name: string, make: () => Promise<QueueWorld>) {
  describe(`${name} as DeductionQueue`, () => {
    it('delivers each message whole, with its correlation id when it has one', async () => {
      const { queue, received } = await make();
      const messages: DeductionMessage[] = [1, 2].map((i) => ({
        v: 2,
        id: deduction().id,
        sku: newSku(),
        quantity: i,
        owner: `user-${i}`,
        createdAt: now + i,
        requestHash: `hash-${i}`,
        ...(i === 1 ? { correlationId: `checkout-${i}.a:b_c` } : {}),
      }));

      for (const m of messages) await queue.enqueue(m);

      expect((await received()).sort((a, b) => a.quantity - b.quantity)).toEqual(messages);
    });
  });
}

export interface TimersWorld {
  timers: HoldTimers;
  /** Every timer delivered so far (and not returned by an earlier call), waiting up to `forMs` for `count`. */
  received(count: number, forMs?: number): Promise<HoldExpiryMessage[]>;
}

/** What every HoldTimers does. */
export function holdTimersContract(name: string, make: () => Promise<TimersWorld>) {
  describe(`${name} as HoldTimers`, () => {
    it('schedules every timer whole, more than one batch holds, and reports none failed', async () => {
      const { timers, received } = await make();
      const sku = newSku();
      const sent: HoldExpiryMessage[] = Array.from({ length: 23 }, (_, i) => ({ v: 1, id: deduction().id, sku, expiresAt: now + i }));

      const failed = await timers.schedule(sent.map((message) => ({ message, delayMs: 0 })));

      expect(failed).toEqual([]);
      expect((await received(23)).sort((a, b) => a.expiresAt - b.expiresAt)).toEqual(sent);
    });
  });
}

export interface EventsWorld {
  events: DeductionEvents;
  /** Every event published so far, as subscribers see its detail-type and detail. */
  received(): Promise<Array<{ detailType: string; detail: Record<string, unknown> }>>;
}

/** What every DeductionEvents does. */
export function deductionEventsContract(name: string, make: () => Promise<EventsWorld>) {
  describe(`${name} as DeductionEvents`, () => {
    it('publishes every transition, more than one call holds, as `Deduction <STATUS>` with its detail', async () => {
      const { events, received } = await make();
      const transitions: DeductionTransition[] = Array.from({ length: 13 }, (_, i) => {
        const d = deduction({ sku: newSku(), createdAt: now });
        return i % 2
          ? { deduction: { ...d, status: 'HELD', decidedAt: now + 1, holdUntil: now + 30_001 }, previousStatus: 'QUEUED' }
          : {
              deduction: { ...d, status: 'REJECTED', reason: 'SOLD_OUT', decidedAt: now + 1, completedAt: now + 1 },
              previousStatus: 'QUEUED',
            };
      });

      const failed = await events.publish(transitions);

      const got = await received();
      expect(failed).toEqual([]);
      expect(got).toHaveLength(13);
      for (const t of transitions) {
        expect(got).toContainEqual({
          detailType: `Deduction ${t.deduction.status}`,
          detail: expect.objectContaining({
            id: t.deduction.id,
            status: t.deduction.status,
            previousStatus: 'QUEUED',
            owner: t.deduction.owner,
          }),
        });
      }
    });
  });
}
