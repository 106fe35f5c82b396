import { describe, expect, it } from 'vitest';
import { expiryMessageOf } from '../../../../lambdas/domain/deductions/events.js';
import { expireHolds } from '../../../../lambdas/domain/deductions/expire-holds.js';
import { ManualClock } from '../../../helpers/clock.js';
import { chunkOf, deduction, MemoryDeductions, MemoryTimers } from '../../../helpers/deductions.js';
import { RecordingMetrics } from '../../../helpers/metrics.js';

const HOLD_MS = 30_000;

async function holds(count: number, quantity = 1) {
  const ledger = new MemoryDeductions();
  const timers = new MemoryTimers();
  const clock = new ManualClock();
  ledger.setStock('HOT', count * quantity);
  const ds = Array.from({ length: count }, (_, i) => deduction({ sku: 'HOT', owner: `o${i}`, quantity, correlationId: `corr-${i}` }));
  for (const d of ds) await ledger.createIfAbsent(d);
  await ledger.hold('HOT', chunkOf(...ds), quantity, clock.now(), clock.now() + HOLD_MS);
  const held = ds.map((d) => ledger.records.get(d.id) as typeof d);
  const messages = held.map((d, i) => ({ messageId: `m${i}`, message: expiryMessageOf(d) }));
  return { ledger, timers, clock, held, messages, deps: { ledger, timers, clock, sleep: async () => undefined } };
}

describe('expireHolds', () => {
  it('gives back the units of many due holds of one SKU in a few stock writes', async () => {
    const { ledger, clock, messages, deps } = await holds(200);
    clock.advance(HOLD_MS);

    const outcome = await expireHolds(messages, deps);

    expect(outcome).toMatchObject({ expired: 200, stockWrites: 5, failedMessageIds: [], redelayed: 0 });
    expect(ledger.stock.get('HOT')?.quantity).toBe(200);
    expect([...ledger.records.values()].every((r) => r.status === 'EXPIRED' && r.completedAt === clock.now())).toBe(true);
  });

  it('sends an early timer again for the time that remains, and expires nothing', async () => {
    const { ledger, timers, clock, messages, deps } = await holds(2);
    clock.advance(HOLD_MS - 1_500);

    const outcome = await expireHolds(messages, deps);

    expect(outcome).toMatchObject({ expired: 0, redelayed: 2 });
    expect(timers.scheduled.map((t) => t.delayMs)).toEqual([1_500, 1_500]);
    expect(ledger.stock.get('HOT')?.quantity).toBe(0);
  });

  it('trusts the record over the timer: a timer claiming a deadline that the record has not reached is sent again', async () => {
    const { ledger, timers, clock, held, deps } = await holds(1);
    clock.advance(HOLD_MS - 2_000);
    const lying = { messageId: 'm-early', message: { ...expiryMessageOf(held[0] as (typeof held)[0]), expiresAt: clock.now() - 1 } };

    const outcome = await expireHolds([lying], deps);

    expect(outcome).toMatchObject({ expired: 0, redelayed: 1 });
    expect(timers.scheduled[0]?.delayMs).toBe(2_000);
    expect(ledger.records.get(held[0]?.id ?? '')?.status).toBe('HELD');
  });

  it('leaves confirmed and cancelled holds alone and returns the rest once, whatever the duplicates', async () => {
    const { ledger, clock, held, messages, deps } = await holds(4);
    const [confirmed, cancelled] = held as [(typeof held)[0], (typeof held)[0]];
    await ledger.confirm(confirmed, clock.now());
    await ledger.cancel(cancelled, clock.now());
    clock.advance(HOLD_MS + 10);

    const first = await expireHolds([...messages, ...messages], deps);
    const again = await expireHolds(messages, deps);

    expect(first).toMatchObject({ expired: 2, settled: 2 });
    expect(again).toMatchObject({ expired: 0, settled: 4, stockWrites: 0 });
    expect(ledger.stock.get('HOT')?.quantity).toBe(3);
    expect(ledger.records.get(confirmed.id)?.status).toBe('CONFIRMED');
    expect(ledger.records.get(cancelled.id)?.status).toBe('CANCELLED');
  });

  it('re-reads and goes on when a confirm beats the expiry to a hold of the chunk', async () => {
    const { ledger, clock, held, messages, deps } = await holds(3);
    clock.advance(HOLD_MS);
    const expire = ledger.expire.bind(ledger);
    let raced = false;
    ledger.expire = async (sku, chunk, now) => {
      if (!raced) {
        raced = true;
        // The owner confirmed just before the deadline; that write lands first.
        await ledger.confirm(held[1] as (typeof held)[0], now - 1);
      }
      return expire(sku, chunk, now);
    };

    const outcome = await expireHolds(messages, deps);

    expect(outcome).toMatchObject({ expired: 2, conflicts: 1, failedMessageIds: [] });
    expect(ledger.records.get(held[1]?.id ?? '')?.status).toBe('CONFIRMED');
    expect(ledger.stock.get('HOT')?.quantity).toBe(2);
  });

  it('reports a SKU’s timers failed when its writes keep failing, and the timers it could not send again', async () => {
    const { ledger, timers, clock, messages, deps } = await holds(2);
    ledger.expire = async () => {
      throw new Error('throttled');
    };
    clock.advance(HOLD_MS);
    const early = {
      messageId: 'm-early',
      message: { ...(messages[0]?.message as (typeof messages)[0]['message']), expiresAt: clock.now() + 5_000 },
    };
    timers.fail = true;

    const outcome = await expireHolds([...messages, early], deps);

    expect(outcome.failedMessageIds.sort()).toEqual(['m-early', 'm0', 'm1']);
  });

  it('counts the holds it expired, not the ones a confirm won, and names each with its correlation id', async () => {
    const { ledger, clock, held, messages, deps } = await holds(3);
    clock.advance(HOLD_MS);
    await ledger.confirm(held[1] as (typeof held)[0], clock.now() - 1);
    const metrics = new RecordingMetrics();
    const named: unknown[] = [];

    await expireHolds(messages, { ...deps, metrics, onEvent: (e) => e.type === 'expired' && named.push(...e.deductions) });

    expect(metrics.series()).toEqual([{ metric: 'HoldsExpired', dimensions: {}, values: [2] }]);
    expect(named).toEqual([held[0], held[2]].map((d) => ({ id: d?.id, correlationId: d?.correlationId })));
  });
});
