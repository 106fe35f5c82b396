import { describe, expect, it } from 'vitest';
import { chunks, processDeductionBatch } from '../../../../lambdas/domain/deductions/process-batch.js';
import { messageOf } from '../../../../lambdas/domain/deductions/types.js';
import { ManualClock } from '../../../helpers/clock.js';
import { deduction, MemoryDeductions } from '../../../helpers/deductions.js';

describe('processDeductionBatch', () => {
  it('settles a SKU’s requests in one stock write, rejecting what stock cannot cover', async () => {
    const ledger = new MemoryDeductions();
    ledger.setStock('SKU-1', 2);
    const ds = [1, 2, 3].map((i) => deduction({ sku: 'SKU-1', createdAt: i }));
    for (const d of ds) await ledger.createIfAbsent(d);

    const outcome = await processDeductionBatch(
      ds.map((d) => ({ messageId: `m-${d.id}`, message: messageOf(d) })),
      { ledger, store: ledger, clock: new ManualClock(), limitPerUser: 1 },
    );

    expect(outcome).toMatchObject({ succeeded: 2, rejected: 1, stockWrites: 1, failedMessageIds: [] });
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(0);
    expect(ledger.records.get(ds[2]?.id ?? '')).toMatchObject({ status: 'REJECTED', reason: 'SOLD_OUT' });
  });

  it('recreates the record of a queued message whose record is missing', async () => {
    const ledger = new MemoryDeductions();
    ledger.setStock('SKU-1', 1);
    const orphan = deduction({ sku: 'SKU-1' });

    await processDeductionBatch([{ messageId: 'm-1', message: messageOf(orphan) }], {
      ledger,
      store: ledger,
      clock: new ManualClock(),
      limitPerUser: 1,
    });

    expect(ledger.records.get(orphan.id)?.status).toBe('SUCCEEDED');
  });
});

describe('chunks', () => {
  it('keeps every transaction within the action limit: stock + one per request + one per user', () => {
    const many = Array.from({ length: 120 }, (_, i) => deduction({ owner: `u${i % 50}` }));

    const result = chunks(many, 100);

    for (const c of result) expect(1 + c.deductions.length + c.unitsByOwner.size).toBeLessThanOrEqual(100);
    expect(result.flatMap((c) => c.deductions)).toEqual(many);
  });

  it('sums a user’s units within a chunk into one limit-marker update', () => {
    const a = deduction({ owner: 'ann', quantity: 1 });
    const b = deduction({ owner: 'ann', quantity: 2 });

    const [chunk] = chunks([a, b], 100);

    expect(chunk?.unitsByOwner).toEqual(new Map([['ann', 3]]));
    expect(chunk?.units).toBe(3);
  });
});
