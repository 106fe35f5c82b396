import { describe, expect, it } from 'vitest';
import { cancelDeduction } from '../../../../lambdas/domain/deductions/cancel.js';
import { ManualClock } from '../../../helpers/clock.js';
import { deduction, MemoryDeductions } from '../../../helpers/deductions.js';

async function settled(status: 'SUCCEEDED' | 'QUEUED') {
  const ledger = new MemoryDeductions();
  ledger.setStock('SKU-1', 4);
  const d = deduction({ sku: 'SKU-1', quantity: 2 });
  await ledger.createIfAbsent(d);
  if (status === 'SUCCEEDED') await ledger.commit('SKU-1', { deductions: [d], units: 2, unitsByUser: new Map([[d.userId, 2]]) }, 2, 1);
  return { ledger, d, deps: { store: ledger, ledger, clock: new ManualClock() } };
}

describe('cancelDeduction', () => {
  it('gives a SUCCEEDED deduction’s units back once, and answers a repeat with the same CANCELLED record', async () => {
    const { ledger, d, deps } = await settled('SUCCEEDED');

    const first = await cancelDeduction(d.id, deps);
    const again = await cancelDeduction(d.id, deps);

    expect(first.status).toBe('CANCELLED');
    expect(again).toMatchObject({ id: d.id, status: 'CANCELLED' });
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(4);
  });

  it('refuses what did not succeed (409 NOT_CANCELLABLE) and what does not exist (404)', async () => {
    const { d, deps } = await settled('QUEUED');

    await expect(cancelDeduction(d.id, deps)).rejects.toMatchObject({ code: 'NOT_CANCELLABLE', kind: 'conflict' });
    await expect(cancelDeduction(deduction().id, deps)).rejects.toMatchObject({ code: 'DEDUCTION_NOT_FOUND', kind: 'not-found' });
  });
});
