import { describe, expect, it } from 'vitest';
import { filterRecords, matchesPattern } from '../../../../lib/local/event-sources/event-filter.js';

const pattern = { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['INFO', 'PRICE', 'STOCK'] } } } };

describe('matchesPattern (Lambda event filtering)', () => {
  it('accepts records whose fields are among the listed values', () => {
    expect(matchesPattern(pattern, { eventName: 'MODIFY', dynamodb: { NewImage: { type: { S: 'PRICE' } } } })).toBe(true);
  });

  it('rejects other item types, other events and records without the field', () => {
    expect(matchesPattern(pattern, { eventName: 'MODIFY', dynamodb: { NewImage: { type: { S: 'FLAG' } } } })).toBe(false);
    expect(matchesPattern(pattern, { eventName: 'REMOVE', dynamodb: { NewImage: { type: { S: 'INFO' } } } })).toBe(false);
    expect(matchesPattern(pattern, { eventName: 'INSERT', dynamodb: {} })).toBe(false);
  });
});

describe('filterRecords', () => {
  const price = { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'PRICE' } } } };
  const flag = { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'FLAG' } } } };

  it('keeps the records that match any pattern, in order', () => {
    expect(filterRecords([pattern, { eventName: ['REMOVE'] }], [flag, price, { eventName: 'REMOVE' }])).toEqual([
      price,
      { eventName: 'REMOVE' },
    ]);
  });

  it('keeps every record when the mapping has no filter criteria', () => {
    expect(filterRecords([], [flag, price])).toEqual([flag, price]);
  });
});
