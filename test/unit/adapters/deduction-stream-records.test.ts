import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { limitKey, requestItem } from '../../../lambdas/adapters/deduction-items.js';
import { decodeRequestRecord } from '../../../lambdas/adapters/deduction-stream-records.js';
import { deduction } from '../../helpers/deductions.js';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item?: object, old?: object, seq = '100'): DynamoDBRecord => ({
  eventName,
  dynamodb: {
    SequenceNumber: seq,
    ...(item ? { NewImage: marshall(item, { removeUndefinedValues: true }) as never } : {}),
    ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) as never } : {}),
  },
});

describe('decodeRequestRecord', () => {
  const queued = deduction({ sku: 'SKU-1', createdAt: 1_000 });
  const held = { ...queued, status: 'HELD' as const, decidedAt: 2_000, holdUntil: 32_000 };

  it('decodes a request write into the deduction before and after, at its stream position', () => {
    expect(decodeRequestRecord(record('MODIFY', requestItem(held, 9), requestItem(queued, 9), '42'))).toEqual({
      position: '42',
      before: queued,
      after: held,
    });
    expect(decodeRequestRecord(record('INSERT', requestItem(queued, 9)))).toEqual({ position: '100', before: null, after: queued });
  });

  it('carries the record’s correlation id through the stream, and drops a malformed one', () => {
    const traced = { ...held, correlationId: 'checkout-7' };
    const forged = { ...requestItem(held, 9), correlationId: 'x\n{"level":"ERROR"}' };

    expect(decodeRequestRecord(record('MODIFY', requestItem(traced, 9)))).toMatchObject({ after: { correlationId: 'checkout-7' } });
    expect(decodeRequestRecord(record('MODIFY', forged))).toEqual({ position: '100', before: null, after: held });
  });

  it('ignores removals (TTL, a discarded request) and items that are not requests', () => {
    expect(decodeRequestRecord(record('REMOVE', undefined, requestItem(queued, 9)))).toBe('ignore');
    expect(decodeRequestRecord(record('MODIFY', { ...limitKey('SKU-1', 'u'), units: 1 }))).toBe('ignore');
  });

  it('calls a request image no retry can fix poison: fields missing, an unknown status, no position', () => {
    const { owner: _owner, ...ownerless } = requestItem(held, 9) as Record<string, unknown>;
    expect(decodeRequestRecord(record('MODIFY', ownerless))).toBe('poison');
    expect(decodeRequestRecord(record('MODIFY', { ...requestItem(held, 9), status: 'PAID' }))).toBe('poison');
    expect(decodeRequestRecord({ eventName: 'MODIFY', dynamodb: { NewImage: marshall(requestItem(held, 9)) as never } })).toBe('poison');
    expect(decodeRequestRecord({ eventName: 'MODIFY', dynamodb: { SequenceNumber: '1' } })).toBe('poison');
  });

  it('reads a request stored as SUCCEEDED (before holds) as CONFIRMED', () => {
    const legacy = { ...requestItem(queued, 9), status: 'SUCCEEDED', completedAt: 5_000 };

    const decoded = decodeRequestRecord(record('MODIFY', { ...legacy, status: 'CANCELLED', completedAt: 6_000 }, legacy));

    expect(decoded).toMatchObject({
      before: { status: 'CONFIRMED', confirmedAt: 5_000 },
      after: { status: 'CANCELLED', completedAt: 6_000 },
    });
  });
});
