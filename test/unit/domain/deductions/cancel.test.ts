import { describe, expect, it } from 'vitest';
import { cancelDeduction } from '../../../../lambdas/domain/deductions/cancel.js';
import { ManualClock } from '../../../helpers/clock.js';
import { chunkOf, deduction, MemoryDeductions } from '../../../helpers/deductions.js';

const HOLD_MS = 60_000;

async function decided(status: 'HELD' | 'CONFIRMED' | 'QUEUED') {
  const ledger = new MemoryDeductions();
  const clock = new ManualClock();
  ledger.setStock('SKU-1', 4);
  const d = deduction({ sku: 'SKU-1', quantity: 2 });
  await ledger.createIfAbsent(d);
  if (status !== 'QUEUED') await ledger.hold('SKU-1', chunkOf(d), 2, clock.now(), clock.now() + HOLD_MS);
  if (status === 'CONFIRMED') await ledger.confirm(d, clock.now());
  return { ledger, d, clock, deps: { store: ledger, ledger, clock } };
}

describe('cancelDeduction', () => {
  it('gives a HELD deduction’s units back once, and answers a repeat with the same CANCELLED record', async () => {
    const { ledger, d, deps } = await decided('HELD');

    const first = await cancelDeduction(d.id, d.owner, deps);
    const again = await cancelDeduction(d.id, d.owner, deps);

    expect(first.status).toBe('CANCELLED');
    expect(again).toMatchObject({ id: d.id, status: 'CANCELLED' });
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(4);
    expect(ledger.holdings.get(`SKU-1#${d.owner}`)).toBe(0);
  });

  it('refunds a CONFIRMED deduction, even after its hold’s deadline', async () => {
    const { ledger, d, clock, deps } = await decided('CONFIRMED');
    clock.advance(HOLD_MS * 2);

    expect((await cancelDeduction(d.id, d.owner, deps)).status).toBe('CANCELLED');
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(4);
  });

  it('leaves a hold past its deadline to the expiry: 409 HOLD_EXPIRED, nothing changes', async () => {
    const { ledger, d, clock, deps } = await decided('HELD');
    clock.advance(HOLD_MS);

    await expect(cancelDeduction(d.id, d.owner, deps)).rejects.toMatchObject({ code: 'HOLD_EXPIRED', kind: 'conflict' });
    expect(ledger.records.get(d.id)?.status).toBe('HELD');
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(2);
  });

  it('refuses what was not won (409 NOT_CANCELLABLE) and what does not exist (404)', async () => {
    const { d, deps } = await decided('QUEUED');

    await expect(cancelDeduction(d.id, d.owner, deps)).rejects.toMatchObject({ code: 'NOT_CANCELLABLE', kind: 'conflict' });
    await expect(cancelDeduction(deduction().id, d.owner, deps)).rejects.toMatchObject({ code: 'DEDUCTION_NOT_FOUND', kind: 'not-found' });
  });

  it('answers another buyer exactly as for an unknown id, and gives nothing back', async () => {
    const { ledger, d, deps } = await decided('HELD');
    const unknown = deduction().id;

    const foreign = await cancelDeduction(d.id, 'mallory', deps).catch((e: unknown) => e);
    const missing = await cancelDeduction(unknown, 'mallory', deps).catch((e: unknown) => e);

    expect(foreign).toMatchObject({ code: 'DEDUCTION_NOT_FOUND', kind: 'not-found', message: `No deduction ${d.id}` });
    expect(missing).toMatchObject({ code: 'DEDUCTION_NOT_FOUND', kind: 'not-found', message: `No deduction ${unknown}` });
    expect(ledger.records.get(d.id)?.status).toBe('HELD');
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(2);
  });
});
