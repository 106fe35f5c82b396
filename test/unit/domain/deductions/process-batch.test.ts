import { describe, expect, it } from 'vitest';
import { processDeductionBatch } from '../../../../lambdas/domain/deductions/process-batch.js';
import { messageOf } from '../../../../lambdas/domain/deductions/types.js';
import { ManualClock } from '../../../helpers/clock.js';
import { deduction, MemoryDeductions } from '../../../helpers/deductions.js';
import { RecordingMetrics } from '../../../helpers/metrics.js';

const HOLD_MS = 600_000;

describe('processDeductionBatch', () => {
  it('holds what a SKU’s stock covers in one stock write, until now + the hold window, and rejects the rest', async () => {
    const ledger = new MemoryDeductions();
    const clock = new ManualClock();
    ledger.setStock('SKU-1', 2);
    const ds = [1, 2, 3].map((i) => deduction({ sku: 'SKU-1', createdAt: i }));
    for (const d of ds) await ledger.createIfAbsent(d);

    const outcome = await processDeductionBatch(
      ds.map((d) => ({ messageId: `m-${d.id}`, message: messageOf(d) })),
      { ledger, store: ledger, clock, limitPerUser: 1, holdMs: HOLD_MS },
    );

    expect(outcome).toMatchObject({ held: 2, rejected: 1, stockWrites: 1, failedMessageIds: [] });
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(0);
    expect(ledger.records.get(ds[0]?.id ?? '')).toMatchObject({ status: 'HELD', decidedAt: clock.now(), holdUntil: clock.now() + HOLD_MS });
    expect(ledger.records.get(ds[2]?.id ?? '')).toMatchObject({ status: 'REJECTED', reason: 'SOLD_OUT', decidedAt: clock.now() });
  });

  it('rejects a whole sold-out group with one bulk call, not one write per request', async () => {
    const ledger = new MemoryDeductions();
    ledger.setStock('SKU-1', 0);
    const ds = Array.from({ length: 250 }, (_, i) => deduction({ sku: 'SKU-1', createdAt: i }));
    for (const d of ds) await ledger.createIfAbsent(d);
    const calls: number[] = [];
    const reject = ledger.reject.bind(ledger);
    ledger.reject = async (rejections, now) => {
      calls.push(rejections.length);
      return reject(rejections, now);
    };

    const outcome = await processDeductionBatch(
      ds.map((d) => ({ messageId: `m-${d.id}`, message: messageOf(d) })),
      { ledger, store: ledger, clock: new ManualClock(), limitPerUser: 1, holdMs: HOLD_MS },
    );

    expect(outcome).toMatchObject({ held: 0, rejected: 250, stockWrites: 0 });
    expect(calls).toEqual([250]);
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
      holdMs: HOLD_MS,
    });

    expect(ledger.records.get(orphan.id)?.status).toBe('HELD');
  });

  it('changes nothing for a request decided already (a redelivery), whatever it became since', async () => {
    const ledger = new MemoryDeductions();
    ledger.setStock('SKU-1', 5);
    const d = deduction({ sku: 'SKU-1' });
    await ledger.createIfAbsent(d);
    const deps = { ledger, store: ledger, clock: new ManualClock(), limitPerUser: 1, holdMs: HOLD_MS };
    await processDeductionBatch([{ messageId: 'm-1', message: messageOf(d) }], deps);
    await ledger.confirm(d, deps.clock.now());

    const again = await processDeductionBatch([{ messageId: 'm-2', message: messageOf(d) }], deps);

    expect(again).toMatchObject({ held: 0, rejected: 0, stockWrites: 0 });
    expect(ledger.records.get(d.id)?.status).toBe('CONFIRMED');
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(4);
  });

  it('counts decisions by outcome with each one’s wait in the queue, stock writes and their conflicts', async () => {
    const ledger = new MemoryDeductions();
    const clock = new ManualClock();
    const metrics = new RecordingMetrics();
    ledger.setStock('SKU-1', 1);
    const early = deduction({ sku: 'SKU-1', createdAt: clock.now() - 300, correlationId: 'corr-early' });
    const late = deduction({ sku: 'SKU-1', createdAt: clock.now() - 100, correlationId: 'corr-late' });
    const again = deduction({ sku: 'SKU-1', owner: early.owner, createdAt: clock.now() - 50 });
    const stranger = deduction({ sku: 'NOPE', createdAt: clock.now() - 10 });
    for (const d of [early, late, again, stranger]) await ledger.createIfAbsent(d);
    // The first hold transaction loses to another writer once, then commits.
    const hold = ledger.hold.bind(ledger);
    let lost = false;
    ledger.hold = async (...args) => {
      if (lost) return hold(...args);
      lost = true;
      return 'conflict';
    };

    const outcome = await processDeductionBatch(
      [early, late, again, stranger].map((d) => ({ messageId: `m-${d.id}`, message: messageOf(d) })),
      { ledger, store: ledger, clock, limitPerUser: 1, holdMs: HOLD_MS, metrics, sleep: async () => undefined },
    );

    expect(outcome.decided).toEqual(
      expect.arrayContaining([
        { id: early.id, outcome: 'HELD', correlationId: 'corr-early' },
        { id: late.id, outcome: 'SOLD_OUT', correlationId: 'corr-late' },
        { id: again.id, outcome: 'LIMIT_EXCEEDED' },
        { id: stranger.id, outcome: 'UNKNOWN_SKU' },
      ]),
    );
    expect(outcome.decided).toHaveLength(4);
    expect(metrics.series()).toEqual(
      expect.arrayContaining([
        { metric: 'DeductionsDecided', dimensions: { Outcome: 'HELD' }, values: [1] },
        { metric: 'DeductionsDecided', dimensions: { Outcome: 'SOLD_OUT' }, values: [1] },
        { metric: 'DeductionsDecided', dimensions: { Outcome: 'LIMIT_EXCEEDED' }, values: [1] },
        { metric: 'DeductionsDecided', dimensions: { Outcome: 'UNKNOWN_SKU' }, values: [1] },
        { metric: 'StockWrites', dimensions: {}, values: [1] },
        { metric: 'StockWriteConflicts', dimensions: {}, values: [1] },
      ]),
    );
    expect(metrics.values('DecisionLatency').sort((a, b) => a - b)).toEqual([10, 50, 100, 300]);
    expect(metrics.series()).toHaveLength(7);
  });

  it('neither counts nor names a redelivered request decided earlier', async () => {
    const ledger = new MemoryDeductions();
    const metrics = new RecordingMetrics();
    ledger.setStock('SKU-1', 1);
    const d = deduction({ sku: 'SKU-1' });
    await ledger.createIfAbsent(d);
    const deps = { ledger, store: ledger, clock: new ManualClock(), limitPerUser: 1, holdMs: HOLD_MS };
    await processDeductionBatch([{ messageId: 'm-1', message: messageOf(d) }], deps);

    const again = await processDeductionBatch([{ messageId: 'm-2', message: messageOf(d) }], { ...deps, metrics });

    expect(again.decided).toEqual([]);
    expect(metrics.records).toEqual([]);
  });
});
