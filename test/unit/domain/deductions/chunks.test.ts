import { describe, expect, it } from 'vitest';
import { jitteredBackoffMs, runsOf, unitChunks } from '../../../../lambdas/domain/deductions/chunks.js';
import { deduction } from '../../../helpers/deductions.js';

describe('unitChunks', () => {
  it('keeps every transaction within the action limit: stock + one per request + one per owner', () => {
    const many = Array.from({ length: 120 }, (_, i) => deduction({ owner: `u${i % 50}` }));

    const result = unitChunks(many, 100);

    for (const c of result) expect(1 + c.deductions.length + c.unitsByOwner.size).toBeLessThanOrEqual(100);
    expect(result.flatMap((c) => c.deductions)).toEqual(many);
  });

  it('sums an owner’s units within a chunk into one limit-marker update', () => {
    const a = deduction({ owner: 'ann', quantity: 1 });
    const b = deduction({ owner: 'ann', quantity: 2 });

    const [chunk] = unitChunks([a, b], 100);

    expect(chunk?.unitsByOwner).toEqual(new Map([['ann', 3]]));
    expect(chunk?.units).toBe(3);
  });

  it('covers 49 requests of distinct owners per stock write at DynamoDB’s 100 actions', () => {
    const many = Array.from({ length: 1000 }, (_, i) => deduction({ owner: `o${i}` }));

    const result = unitChunks(many);

    expect(result).toHaveLength(21);
    expect(result[0]?.deductions).toHaveLength(49);
  });
});

describe('runsOf', () => {
  it('splits a list into runs of at most the size, in order', () => {
    expect(runsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(runsOf([], 10)).toEqual([]);
  });
});

describe('jitteredBackoffMs', () => {
  it('stays within the exponential bound and the cap', () => {
    for (let attempt = 1; attempt < 12; attempt++) {
      const ms = jitteredBackoffMs(attempt, 250);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(Math.min(250, 10 * 2 ** attempt));
    }
  });
});
