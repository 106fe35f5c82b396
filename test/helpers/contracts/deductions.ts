import { describe, expect, it } from 'vitest';
import type { AvailabilityView, DeductionQueue, DeductionStore, StockLedger } from '../../../lambdas/domain/deductions/ports.js';
import type { DeductionMessage } from '../../../lambdas/domain/deductions/types.js';
import { deduction } from '../deductions.js';

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
const chunkOf = (...ds: ReturnType<typeof deduction>[]) => ({
  deductions: ds,
  units: ds.reduce((s, d) => s + d.quantity, 0),
  unitsByOwner: ds.reduce((m, d) => m.set(d.owner, (m.get(d.owner) ?? 0) + d.quantity), new Map<string, number>()),
});

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

    it('answers null for an id never recorded', async () => {
      const { store } = await make();

      expect(await store.get(deduction().id)).toBeNull();
    });

    it('discards a record only while it is QUEUED', async () => {
      const { store, ledger, setStock } = await make();
      const sku = newSku();
      await setStock(sku, 5);
      const queued = deduction({ sku, createdAt: now });
      const settled = deduction({ sku, createdAt: now });
      await store.createIfAbsent(queued);
      await store.createIfAbsent(settled);
      await ledger.commit(sku, chunkOf(settled), 1, now);

      await store.discardUnqueued(queued.id);
      await store.discardUnqueued(settled.id);

      expect(await store.get(queued.id)).toBeNull();
      expect((await store.get(settled.id))?.status).toBe('SUCCEEDED');
    });
  });
}

/** What every StockLedger does. */
export function stockLedgerContract(name: string, make: () => Promise<DeductionsWorld>) {
  describe(`${name} as StockLedger`, () => {
    it('snapshots the stock, the named requests that exist and the named users’ holdings', async () => {
      const { store, ledger, setStock } = await make();
      const sku = newSku();
      await setStock(sku, 4);
      const held = deduction({ sku, owner: 'ann', createdAt: now });
      await store.createIfAbsent(held);
      await ledger.commit(sku, chunkOf(held), 2, now);
      const missing = deduction({ sku });

      const snap = await ledger.snapshot(sku, [held.id, missing.id], ['ann', 'bob']);

      expect(snap.stock).toMatchObject({ sku, quantity: 3 });
      expect([...snap.records.keys()]).toEqual([held.id]);
      expect(snap.holdings).toEqual(new Map([['ann', 1]]));
      expect((await ledger.snapshot(newSku(), [], [])).stock).toBeNull();
    });

    it('commits a chunk whole: stock down, requests SUCCEEDED, holdings up, version raised', async () => {
      const { store, ledger, setStock } = await make();
      const sku = newSku();
      await setStock(sku, 10);
      const ds = [deduction({ sku, owner: 'u1', quantity: 2 }), deduction({ sku, owner: 'u2' })];
      for (const d of ds) await store.createIfAbsent(d);
      const before = (await ledger.snapshot(sku, [], [])).stock;

      expect(await ledger.commit(sku, chunkOf(...ds), 2, now)).toBe('committed');

      const after = await ledger.snapshot(
        sku,
        ds.map((d) => d.id),
        ['u1', 'u2'],
      );
      expect(after.stock?.quantity).toBe(7);
      expect(after.stock?.version).toBe((before?.version ?? 0) + 1);
      expect([...after.records.values()].map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(after.holdings).toEqual(
        new Map([
          ['u1', 2],
          ['u2', 1],
        ]),
      );
    });

    it('refuses a chunk, changing nothing, when stock is short, a request is already final or a limit would be passed', async () => {
      const { store, ledger, setStock } = await make();
      const sku = newSku();
      await setStock(sku, 3);
      const done = deduction({ sku, owner: 'done' });
      await store.createIfAbsent(done);
      await ledger.commit(sku, chunkOf(done), 1, now);
      const big = deduction({ sku, owner: 'big', quantity: 5 });
      const again = deduction({ sku, owner: 'done' });
      for (const d of [big, again]) await store.createIfAbsent(d);

      expect(await ledger.commit(sku, chunkOf(big), 10, now)).toBe('conflict');
      expect(await ledger.commit(sku, chunkOf(done), 10, now)).toBe('conflict');
      expect(await ledger.commit(sku, chunkOf(again), 1, now)).toBe('conflict');

      const snap = await ledger.snapshot(sku, [big.id, again.id], ['done']);
      expect(snap.stock?.quantity).toBe(2);
      expect([...snap.records.values()].map((r) => r.status)).toEqual(['QUEUED', 'QUEUED']);
      expect(snap.holdings.get('done')).toBe(1);
    });

    it('rejects a QUEUED request with its reason and leaves a final one as it is', async () => {
      const { store, ledger, setStock } = await make();
      const sku = newSku();
      await setStock(sku, 1);
      const queued = deduction({ sku });
      const succeeded = deduction({ sku });
      for (const d of [queued, succeeded]) await store.createIfAbsent(d);
      await ledger.commit(sku, chunkOf(succeeded), 1, now);

      await ledger.reject(queued.id, 'SOLD_OUT', now);
      await ledger.reject(succeeded.id, 'SOLD_OUT', now);

      expect(await store.get(queued.id)).toMatchObject({ status: 'REJECTED', reason: 'SOLD_OUT', completedAt: now });
      expect((await store.get(succeeded.id))?.status).toBe('SUCCEEDED');
    });

    it('refunds a SUCCEEDED deduction once: stock and the user’s holding come back', async () => {
      const { store, ledger, setStock } = await make();
      const sku = newSku();
      await setStock(sku, 5);
      const d = deduction({ sku, owner: 'refunded', quantity: 2 });
      await store.createIfAbsent(d);
      await ledger.commit(sku, chunkOf(d), 2, now);

      expect(await ledger.refund(d, now + 1)).toBe('cancelled');
      expect(await ledger.refund(d, now + 2)).toBe('not-succeeded');

      const snap = await ledger.snapshot(sku, [d.id], ['refunded']);
      expect(snap.stock?.quantity).toBe(5);
      expect(snap.records.get(d.id)).toMatchObject({ status: 'CANCELLED', completedAt: now + 1 });
      expect(snap.holdings.get('refunded')).toBe(0);
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
    it('delivers each message whole', async () => {
      const { queue, received } = await make();
      const messages: DeductionMessage[] = [1, 2].map((i) => ({
        v: 2,
        id: deduction().id,
        sku: newSku(),
        quantity: i,
        owner: `user-${i}`,
        createdAt: now + i,
        requestHash: `hash-${i}`,
      }));

      for (const m of messages) await queue.enqueue(m);

      expect((await received()).sort((a, b) => a.quantity - b.quantity)).toEqual(messages);
    });
  });
}
