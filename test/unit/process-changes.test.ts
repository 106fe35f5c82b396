import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../lib/local/stream-event-source.js';

describe('matchesPattern (Lambda event filtering)', () => {
  const pattern = { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['INFO', 'PRICE', 'STOCK'] } } } };

  it('accepts records whose fields are among the listed values', () => {
    expect(matchesPattern(pattern, { eventName: 'MODIFY', dynamodb: { NewImage: { type: { S: 'PRICE' } } } })).toBe(true);
  });

  it('rejects other item types, other events and records without the field', () => {
    expect(matchesPattern(pattern, { eventName: 'MODIFY', dynamodb: { NewImage: { type: { S: 'FLAG' } } } })).toBe(false);
    expect(matchesPattern(pattern, { eventName: 'REMOVE', dynamodb: { NewImage: { type: { S: 'INFO' } } } })).toBe(false);
    expect(matchesPattern(pattern, { eventName: 'INSERT', dynamodb: {} })).toBe(false);
  });
});
