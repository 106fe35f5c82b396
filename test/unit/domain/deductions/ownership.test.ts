import { describe, expect, it } from 'vitest';
import { ownDeduction } from '../../../../lambdas/domain/deductions/ownership.js';
import { deduction, MemoryDeductions } from '../../../helpers/deductions.js';

describe('ownDeduction', () => {
  it('answers the owner with the record', async () => {
    const store = new MemoryDeductions();
    const d = deduction({ owner: 'sub-ann' });
    await store.createIfAbsent(d);

    expect(await ownDeduction(store, d.id, 'sub-ann')).toEqual(d);
  });

  it('answers anyone else exactly as it answers an id never issued, after the same one read', async () => {
    const store = new MemoryDeductions();
    const d = deduction({ owner: 'sub-ann' });
    const unknown = deduction();
    await store.createIfAbsent(d);
    let reads = 0;
    const get = store.get.bind(store);
    store.get = async (id) => {
      reads += 1;
      return get(id);
    };

    const foreign = await ownDeduction(store, d.id, 'sub-mallory').catch((e: unknown) => e);
    const missing = await ownDeduction(store, unknown.id, 'sub-mallory').catch((e: unknown) => e);

    expect(foreign).toMatchObject({ kind: 'not-found', code: 'DEDUCTION_NOT_FOUND', message: `No deduction ${d.id}`, details: undefined });
    expect(missing).toMatchObject({
      kind: 'not-found',
      code: 'DEDUCTION_NOT_FOUND',
      message: `No deduction ${unknown.id}`,
      details: undefined,
    });
    expect(reads).toBe(2);
  });
});
