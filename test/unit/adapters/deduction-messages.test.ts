import { describe, expect, it } from 'vitest';
import {
  correlationIdOf,
  decodeDeductionMessage,
  decodeHoldExpiryMessage,
  deductionMessageAttributes,
  encodeDeductionMessage,
  encodeHoldExpiryMessage,
} from '../../../lambdas/adapters/deduction-messages.js';
import type { DeductionMessage, HoldExpiryMessage } from '../../../lambdas/domain/deductions/types.js';
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

  it('carries the correlation id as a String message attribute, not in the body, and reads it back', () => {
    const traced = { ...good, correlationId: 'checkout-7' };
    const attributes = deductionMessageAttributes(traced);
    const received = { correlationId: { dataType: 'String', stringValue: attributes?.correlationId?.StringValue } };

    expect(JSON.parse(encodeDeductionMessage(traced))).not.toHaveProperty('correlationId');
    expect(attributes).toEqual({ correlationId: { DataType: 'String', StringValue: 'checkout-7' } });
    expect(decodeDeductionMessage(encodeDeductionMessage(traced), correlationIdOf(received))).toEqual(traced);
    expect(deductionMessageAttributes(good)).toBeUndefined();
  });

  it('drops a malformed correlation id attribute, not the message', () => {
    const forged = { correlationId: { dataType: 'String', stringValue: 'x\n{"level":"ERROR"}' } };

    expect(correlationIdOf(forged)).toBeUndefined();
    expect(correlationIdOf(undefined)).toBeUndefined();
    expect(decodeDeductionMessage(encodeDeductionMessage(good), 'a'.repeat(129))).toEqual(good);
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

describe('decodeHoldExpiryMessage', () => {
  const good: HoldExpiryMessage = { v: 1, id: testIds('buyer-sub', 'k-12345678'), sku: 'SKU-1', expiresAt: 1_700_000_030_000 };

  it('reads back what encodeHoldExpiryMessage wrote', () => {
    expect(decodeHoldExpiryMessage(encodeHoldExpiryMessage(good))).toEqual(good);
  });

  it('rejects poison: not JSON, an array, another version, a bad id or SKU, a deadline that is not an integer', () => {
    expect(decodeHoldExpiryMessage('{')).toBeUndefined();
    expect(decodeHoldExpiryMessage('[1]')).toBeUndefined();
    expect(decodeHoldExpiryMessage(JSON.stringify({ ...good, v: 2 }))).toBeUndefined();
    expect(decodeHoldExpiryMessage(JSON.stringify({ ...good, id: 'd_short' }))).toBeUndefined();
    expect(decodeHoldExpiryMessage(JSON.stringify({ ...good, sku: '' }))).toBeUndefined();
    expect(decodeHoldExpiryMessage(JSON.stringify({ ...good, expiresAt: '2030-01-01' }))).toBeUndefined();
  });
});
