import { describe, expect, it } from 'vitest';
import { decodeDeductionMessage, encodeDeductionMessage } from '../../../lambdas/adapters/deduction-messages.js';
import type { DeductionMessage } from '../../../lambdas/domain/deductions/types.js';
import { testIds } from '../../helpers/deductions.js';

describe('decodeDeductionMessage', () => {
  const good: DeductionMessage = {
    v: 2,
    id: testIds('buyer-sub', 'k-12345678'),
    sku: 'SKU-1',
    quantity: 1,
    owner: 'u',
    createdAt: 1,
    requestHash: 'h',
  };

  it('reads back what encodeDeductionMessage wrote', () => {
    expect(decodeDeductionMessage(encodeDeductionMessage(good))).toEqual(good);
  });

  it('reads a v1 message (queued before identity arrived) with its userId as the owner', () => {
    const { owner, ...rest } = good;

    expect(decodeDeductionMessage(JSON.stringify({ ...rest, v: 1, userId: owner }))).toEqual(good);
  });

  it('rejects poison: not JSON, null, a bad quantity, id or SKU, no owner, another version', () => {
    expect(decodeDeductionMessage('not json')).toBeUndefined();
    expect(decodeDeductionMessage('null')).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, quantity: 0 }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, id: 'x' }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, sku: 'no spaces' }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, owner: '' }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, v: 1 }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, v: 3 }))).toBeUndefined();
  });
});
