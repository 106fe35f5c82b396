import type { Availability, AvailabilityView, DeductionQueue, DeductionStore } from '../../lambdas/domain/deductions/ports.js';
import type { Deduction, DeductionMessage } from '../../lambdas/domain/deductions/types.js';

let n = 0;
/** A QUEUED deduction with sensible defaults. */
export function deduction(overrides: Partial<Deduction> = {}): Deduction {
  n += 1;
  return {
    id: `d_${String(n).padStart(26, '0')}`,
    sku: 'SKU-1',
    quantity: 1,
    userId: `user-${n}`,
    status: 'QUEUED',
    createdAt: 1_000 + n,
    requestHash: 'hash',
    ...overrides,
  };
}

/** In-memory DeductionStore that can be told to fail. */
export class MemoryDeductionStore implements DeductionStore {
  readonly records = new Map<string, Deduction>();
  failDiscard = false;

  async createIfAbsent(d: Deduction) {
    const existing = this.records.get(d.id);
    if (existing) return { created: false, record: existing };
    this.records.set(d.id, { ...d });
    return { created: true, record: d };
  }
  async get(id: string) {
    return this.records.get(id) ?? null;
  }
  async discardUnqueued(id: string) {
    if (this.failDiscard) throw new Error('discard failed');
    if (this.records.get(id)?.status === 'QUEUED') this.records.delete(id);
  }
}

export class MemoryQueue implements DeductionQueue {
  readonly sent: DeductionMessage[] = [];
  fail = false;
  async enqueue(message: DeductionMessage) {
    if (this.fail) throw Object.assign(new Error('SQS down'), { name: 'ServiceUnavailable' });
    this.sent.push(message);
  }
}

export class MemoryAvailability implements AvailabilityView {
  readonly skus = new Map<string, Availability>();
  set(sku: string, quantity: number): this {
    this.skus.set(sku, quantity > 0 ? 'available' : 'sold-out');
    return this;
  }
  async availability(sku: string): Promise<Availability> {
    return this.skus.get(sku) ?? 'unknown';
  }
}
