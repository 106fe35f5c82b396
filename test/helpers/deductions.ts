import { deductionIds } from '../../lambdas/domain/deductions/id.js';
import {
  type Availability,
  type AvailabilityView,
  type DeductionEvents,
  type DeductionQueue,
  type DeductionStore,
  type DeductionTransition,
  type HoldTimers,
  type LedgerSnapshot,
  MessageNotSentError,
  type Rejection,
  type StockLedger,
  type UnitChunk,
} from '../../lambdas/domain/deductions/ports.js';
import type { Deduction, DeductionMessage, HoldExpiryMessage } from '../../lambdas/domain/deductions/types.js';
import type { Stock } from '../../lambdas/domain/product/types.js';

/** Deduction ids as the deployed function derives them, with a fixed test secret. */
export const testIds = deductionIds('test-secret-for-deduction-ids-0123456789abcdef');

let n = 0;
/** A QUEUED deduction with sensible defaults. */
export function deduction(overrides: Partial<Deduction> = {}): Deduction {
  n += 1;
  return {
    id: `d_${String(n).padStart(26, '0')}`,
    sku: 'SKU-1',
    quantity: 1,
    owner: `user-${n}`,
    status: 'QUEUED',
    createdAt: 1_000 + n,
    requestHash: 'hash',
    ...overrides,
  };
}

/** The chunk that moves `ds` together (as unitChunks would make it). */
export const chunkOf = (...ds: Deduction[]): UnitChunk => ({
  deductions: ds,
  units: ds.reduce((s, d) => s + d.quantity, 0),
  unitsByOwner: ds.reduce((m, d) => m.set(d.owner, (m.get(d.owner) ?? 0) + d.quantity), new Map<string, number>()),
});

/**
 * In-memory DeductionStore and StockLedger (one object, like DynamoDeductions), held to the same
 * contract as the DynamoDB adapter (test/helpers/contracts/deductions.ts). Can be told to fail.
 */
export class MemoryDeductions implements DeductionStore, StockLedger {
  readonly records = new Map<string, Deduction>();
  readonly stock = new Map<string, Stock>();
  /** Units held per `sku#owner`. */
  readonly holdings = new Map<string, number>();
  failDiscard = false;

  setStock(sku: string, quantity: number): void {
    this.stock.set(sku, { sku, quantity, version: (this.stock.get(sku)?.version ?? 0) + 1 });
  }

  async createIfAbsent(d: Deduction) {
    const existing = this.records.get(d.id);
    if (existing) return { created: false, record: { ...existing } };
    this.records.set(d.id, { ...d });
    return { created: true, record: d };
  }
  async get(id: string) {
    const record = this.records.get(id);
    return record ? { ...record } : null;
  }
  async discardUnqueued(id: string) {
    if (this.failDiscard) throw new Error('discard failed');
    if (this.records.get(id)?.status === 'QUEUED') this.records.delete(id);
  }

  async snapshot(sku: string, ids: readonly string[], owners: readonly string[]): Promise<LedgerSnapshot> {
    const stock = this.stock.get(sku);
    return {
      stock: stock ? { ...stock } : null,
      records: new Map(ids.flatMap((id) => (this.records.has(id) ? [[id, { ...(this.records.get(id) as Deduction) }] as const] : []))),
      holdings: new Map(
        owners.flatMap((o) => (this.holdings.has(`${sku}#${o}`) ? [[o, this.holdings.get(`${sku}#${o}`) ?? 0] as const] : [])),
      ),
    };
  }
  async hold(sku: string, chunk: UnitChunk, limitPerUser: number, now: number, holdUntil: number): Promise<'committed' | 'conflict'> {
    const stock = this.stock.get(sku);
    if (!stock || stock.quantity < chunk.units) return 'conflict';
    if (chunk.deductions.some((d) => this.records.get(d.id)?.status !== 'QUEUED')) return 'conflict';
    if ([...chunk.unitsByOwner].some(([u, units]) => (this.holdings.get(`${sku}#${u}`) ?? 0) > limitPerUser - units)) return 'conflict';
    this.stock.set(sku, { ...stock, quantity: stock.quantity - chunk.units, version: stock.version + 1 });
    for (const d of chunk.deductions)
      this.records.set(d.id, { ...(this.records.get(d.id) as Deduction), status: 'HELD', decidedAt: now, holdUntil });
    for (const [u, units] of chunk.unitsByOwner) this.holdings.set(`${sku}#${u}`, (this.holdings.get(`${sku}#${u}`) ?? 0) + units);
    return 'committed';
  }
  async reject(rejections: readonly Rejection[], now: number) {
    const rejected: string[] = [];
    for (const { id, reason } of rejections) {
      const record = this.records.get(id);
      if (record?.status !== 'QUEUED') continue;
      this.records.set(id, { ...record, status: 'REJECTED', reason, decidedAt: now, completedAt: now });
      rejected.push(id);
    }
    return rejected;
  }
  async confirm(d: Deduction, now: number): Promise<'confirmed' | 'not-held'> {
    const record = this.records.get(d.id);
    if (record?.status !== 'HELD' || (record.holdUntil ?? 0) <= now) return 'not-held';
    this.records.set(d.id, { ...record, status: 'CONFIRMED', confirmedAt: now });
    return 'confirmed';
  }
  async cancel(d: Deduction, now: number): Promise<'cancelled' | 'not-cancellable'> {
    const record = this.records.get(d.id);
    const cancellable = record?.status === 'CONFIRMED' || (record?.status === 'HELD' && (record.holdUntil ?? 0) > now);
    if (!record || !cancellable || !this.stock.has(d.sku)) return 'not-cancellable';
    this.records.set(d.id, { ...record, status: 'CANCELLED', completedAt: now });
    this.giveBack(d.sku, [record]);
    return 'cancelled';
  }
  async expire(sku: string, chunk: UnitChunk, now: number): Promise<'committed' | 'conflict'> {
    const records = chunk.deductions.map((d) => this.records.get(d.id));
    if (!this.stock.has(sku) || records.some((r) => r?.status !== 'HELD' || (r.holdUntil ?? 0) > now)) return 'conflict';
    for (const r of records as Deduction[]) this.records.set(r.id, { ...r, status: 'EXPIRED', completedAt: now });
    this.giveBack(sku, records as Deduction[]);
    return 'committed';
  }
  private giveBack(sku: string, ds: readonly Deduction[]): void {
    const stock = this.stock.get(sku) as Stock;
    const units = ds.reduce((s, d) => s + d.quantity, 0);
    this.stock.set(sku, { ...stock, quantity: stock.quantity + units, version: stock.version + 1 });
    for (const d of ds) this.holdings.set(`${sku}#${d.owner}`, (this.holdings.get(`${sku}#${d.owner}`) ?? d.quantity) - d.quantity);
  }
}

/** In-memory HoldTimers: what was scheduled, with its delay. `fail` refuses every send. */
export class MemoryTimers implements HoldTimers {
  readonly scheduled: Array<{ message: HoldExpiryMessage; delayMs: number }> = [];
  fail = false;
  async schedule(timers: ReadonlyArray<{ message: HoldExpiryMessage; delayMs: number }>) {
    if (this.fail) return timers.map((_, i) => i);
    this.scheduled.push(...timers);
    return [];
  }
}

/** In-memory DeductionEvents: what was published. `failIds` are refused. */
export class MemoryEvents implements DeductionEvents {
  readonly published: DeductionTransition[] = [];
  failIds = new Set<string>();
  async publish(transitions: readonly DeductionTransition[]) {
    const failed: number[] = [];
    transitions.forEach((t, i) => {
      if (this.failIds.has(t.deduction.id)) failed.push(i);
      else this.published.push(t);
    });
    return failed;
  }
}

/**
 * In-memory DeductionQueue. `fail`: 'not-sent' is a send the queue certainly refused;
 * 'maybe-sent' is a failure after which the message may have been enqueued (a timeout).
 */
export class MemoryQueue implements DeductionQueue {
  readonly sent: DeductionMessage[] = [];
  fail: false | 'not-sent' | 'maybe-sent' = false;
  async enqueue(message: DeductionMessage) {
    if (this.fail === 'not-sent') throw new MessageNotSentError('queue refused the message');
    if (this.fail === 'maybe-sent') throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    this.sent.push(message);
  }
}

/** In-memory AvailabilityView: stock and sold-out flags, as the cached DynamoDB view reads them. */
export class MemoryAvailability implements AvailabilityView {
  private readonly stock = new Map<string, number>();
  private readonly flags = new Map<string, boolean>();
  fail = false;
  set(sku: string, quantity: number): this {
    this.stock.set(sku, quantity);
    return this;
  }
  flag(sku: string, soldOut: boolean): this {
    this.flags.set(sku, soldOut);
    return this;
  }
  async availability(sku: string): Promise<Availability> {
    if (this.fail) throw Object.assign(new Error('read timed out'), { name: 'TimeoutError' });
    const flag = this.flags.get(sku);
    if (flag !== undefined) return flag ? 'sold-out' : 'available';
    const quantity = this.stock.get(sku);
    if (quantity === undefined) return 'unknown';
    return quantity > 0 ? 'available' : 'sold-out';
  }
}
