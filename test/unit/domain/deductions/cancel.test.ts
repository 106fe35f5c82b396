import { describe, expect, it } from 'vitest';
import { cancelDeduction } from '../../../../lambdas/domain/deductions/cancel.js';
import { ManualClock } from '../../../helpers/clock.js';
import { deduction, MemoryDeductions } from '../../../helpers/deductions.js';

async function settled(status: 'SUCCEEDED' | 'QUEUED') {
  const ledger = new MemoryDeductions();
  ledger.setStock('SKU-1', 4);
  const d = deduction({ sku: 'SKU-1', quantity: 2 });
  await ledger.createIfAbsent(d);
  if (status === 'SUCCEEDED') await ledger.commit('SKU-1', { deductions: [d], units: 2, unitsByOwner: new Map([[d.owner, 2]]) }, 2, 1);
  return { ledger, d, deps: { store: ledger, ledger, clock: new ManualClock() } };
}

describe('cancelDeduction', () => {
  it('gives a SUCCEEDED deduction’s units back once, and answers a repeat with the same CANCELLED record', async () => {
    const { ledger, d, deps } = await settled('SUCCEEDED');

    const first = await cancelDeduction(d.id, d.owner, deps);
    const again = await cancelDeduction(d.id, d.owner, deps);

    expect(first.status).toBe('CANCELLED');
    expect(again).toMatchObject({ id: d.id, status: 'CANCELLED' });
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(4);
  });

  it('refuses what did not succeed (409 NOT_CANCELLABLE) and what does not exist (404)', async () => {
    const { d, deps } = await settled('QUEUED');

    await expect(cancelDeduction(d.id, d.owner, deps)).rejects.toMatchObject({ code: 'NOT_CANCELLABLE', kind: 'conflict' });
    await expect(cancelDeduction(deduction().id, d.owner, deps)).rejects.toMatchObject({ code: 'DEDUCTION_NOT_FOUND', kind: 'not-found' });
  });

  it('answers another buyer exactly as for an unknown id, and gives nothing back', async () => {
    const { ledger, d, deps } = await settled('SUCCEEDED');
    const unknown = deduction().id;

    const foreign = await cancelDeduction(d.id, 'mallory', deps).catch((e: unknown) => e);
    const missing = await cancelDeduction(unknown, 'mallory', deps).catch((e: unknown) => e);

    expect(foreign).toMatchObject({ code: 'DEDUCTION_NOT_FOUND', kind: 'not-found', message: `No deduction ${d.id}` });
    expect(missing).toMatchObject({ code: 'DEDUCTION_NOT_FOUND', kind: 'not-found', message: `No deduction ${unknown}` });
    expect(ledger.records.get(d.id)?.status).toBe('SUCCEEDED');
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(2);
  });
});
