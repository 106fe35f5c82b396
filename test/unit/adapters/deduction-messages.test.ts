import { describe, expect, it } from 'vitest';
import { decodeDeductionMessage, encodeDeductionMessage } from '../../../lambdas/adapters/deduction-messages.js';
import { deductionIdFor } from '../../../lambdas/domain/deductions/id.js';
import type { DeductionMessage } from '../../../lambdas/domain/deductions/types.js';

describe('decodeDeductionMessage', () => {
  const good: DeductionMessage = {
    v: 1,
    id: deductionIdFor('k-12345678'),
    sku: 'SKU-1',
    quantity: 1,
    userId: 'u',
    createdAt: 1,
    requestHash: 'h',
  };

  it('reads back what encodeDeductionMessage wrote', () => {
    expect(decodeDeductionMessage(encodeDeductionMessage(good))).toEqual(good);
  });

  it('rejects poison: not JSON, null, a bad quantity, id or SKU, another version', () => {
    expect(decodeDeductionMessage('not json')).toBeUndefined();
    expect(decodeDeductionMessage('null')).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, quantity: 0 }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, id: 'x' }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, sku: 'no spaces' }))).toBeUndefined();
    expect(decodeDeductionMessage(JSON.stringify({ ...good, v: 2 }))).toBeUndefined();
  });
});
