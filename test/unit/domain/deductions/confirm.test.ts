import { describe, expect, it } from 'vitest';
import { confirmDeduction } from '../../../../lambdas/domain/deductions/confirm.js';
import { ManualClock } from '../../../helpers/clock.js';
import { chunkOf, deduction, MemoryDeductions } from '../../../helpers/deductions.js';

const HOLD_MS = 60_000;

async function held() {
  const ledger = new MemoryDeductions();
  const clock = new ManualClock();
  ledger.setStock('SKU-1', 3);
  const d = deduction({ sku: 'SKU-1' });
  await ledger.createIfAbsent(d);
  await ledger.hold('SKU-1', chunkOf(d), 1, clock.now(), clock.now() + HOLD_MS);
  return { ledger, d, clock, deps: { store: ledger, ledger, clock } };
}

describe('confirmDeduction', () => {
  it('turns the owner’s hold into a sale, and answers a repeat with the same CONFIRMED record', async () => {
    const { ledger, d, clock, deps } = await held();
    clock.advance(HOLD_MS - 1);

    const first = await confirmDeduction(d.id, d.owner, deps);
    clock.advance(HOLD_MS);
    const again = await confirmDeduction(d.id, d.owner, deps);

    expect(first).toMatchObject({ status: 'CONFIRMED', confirmedAt: clock.now() - HOLD_MS });
    expect(again).toEqual(first);
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(2);
  });

  it('answers 409 HOLD_EXPIRED at the deadline and after, changing nothing', async () => {
    const { ledger, d, clock, deps } = await held();
    clock.advance(HOLD_MS);

    await expect(confirmDeduction(d.id, d.owner, deps)).rejects.toMatchObject({ code: 'HOLD_EXPIRED', kind: 'conflict' });
    expect(ledger.records.get(d.id)?.status).toBe('HELD');
    await ledger.expire('SKU-1', chunkOf(d), clock.now());
    await expect(confirmDeduction(d.id, d.owner, deps)).rejects.toMatchObject({ code: 'HOLD_EXPIRED' });
    expect(ledger.records.get(d.id)?.status).toBe('EXPIRED');
  });

  it('answers from what the record became when the expiry wins the race', async () => {
    const { ledger, d, deps } = await held();
    // The expiry commits between the confirm's read and its write.
    const confirm = ledger.confirm.bind(ledger);
    ledger.confirm = async (deduction, now) => {
      await ledger.expire('SKU-1', chunkOf(deduction), (deduction.holdUntil ?? 0) + 1);
      return confirm(deduction, now);
    };

    await expect(confirmDeduction(d.id, d.owner, deps)).rejects.toMatchObject({ code: 'HOLD_EXPIRED' });
    expect(ledger.records.get(d.id)?.status).toBe('EXPIRED');
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(3);
  });

  it('refuses what is not a hold (409 NOT_CONFIRMABLE) and anyone but the owner (404, as an unknown id)', async () => {
    const { ledger, d, deps } = await held();
    const queued = deduction({ sku: 'SKU-1' });
    await ledger.createIfAbsent(queued);

    await expect(confirmDeduction(queued.id, queued.owner, deps)).rejects.toMatchObject({ code: 'NOT_CONFIRMABLE', kind: 'conflict' });
    await expect(confirmDeduction(d.id, 'mallory', deps)).rejects.toMatchObject({
      code: 'DEDUCTION_NOT_FOUND',
      message: `No deduction ${d.id}`,
    });
    expect(ledger.records.get(d.id)?.status).toBe('HELD');
  });
});
