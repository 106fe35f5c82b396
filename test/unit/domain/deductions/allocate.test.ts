import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateBatch } from '../../../../lambdas/domain/deductions/allocate.js';
import { deduction } from '../../../helpers/deductions.js';

describe('allocateBatch', () => {
  it('serves requests first-come by accept time until stock runs out, then rejects SOLD_OUT', () => {
    const late = deduction({ createdAt: 30 });
    const early = deduction({ createdAt: 10 });
    const middle = deduction({ createdAt: 20 });

    const result = allocateBatch([late, early, middle], 2, new Map(), 1);

    expect(result.succeeded.map((d) => d.id)).toEqual([early.id, middle.id]);
    expect(result.rejected).toEqual([{ deduction: late, reason: 'SOLD_OUT' }]);
    expect(result.units).toBe(2);
  });

  it('rejects LIMIT_EXCEEDED when a user would exceed the per-user limit, counting units already held', () => {
    const first = deduction({ owner: 'ann', createdAt: 1 });
    const second = deduction({ owner: 'ann', createdAt: 2 });
    const holder = deduction({ owner: 'bob', createdAt: 3 });

    const result = allocateBatch([first, second, holder], 10, new Map([['bob', 1]]), 1);

    expect(result.succeeded).toEqual([first]);
    expect(result.rejected.map((r) => [r.deduction.id, r.reason])).toEqual([
      [second.id, 'LIMIT_EXCEEDED'],
      [holder.id, 'LIMIT_EXCEEDED'],
    ]);
  });

  it('lets a later, smaller request take stock a larger one could not', () => {
    const big = deduction({ quantity: 3, createdAt: 1 });
    const small = deduction({ quantity: 1, createdAt: 2 });

    const result = allocateBatch([big, small], 2, new Map(), 5);

    expect(result.succeeded).toEqual([small]);
    expect(result.rejected[0]?.reason).toBe('SOLD_OUT');
  });

  it('never allocates more than available or more than the limit per user (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ user: fc.integer({ min: 0, max: 9 }), quantity: fc.integer({ min: 1, max: 3 }), at: fc.nat(1000) }), {
          maxLength: 80,
        }),
        fc.nat(60),
        fc.integer({ min: 1, max: 4 }),
        (requests, available, limit) => {
          const pending = requests.map((r) => deduction({ owner: `u${r.user}`, quantity: r.quantity, createdAt: r.at }));
          const result = allocateBatch(pending, available, new Map(), limit);
          const perUser = new Map<string, number>();
          for (const d of result.succeeded) perUser.set(d.owner, (perUser.get(d.owner) ?? 0) + d.quantity);
          expect(result.units).toBeLessThanOrEqual(available);
          expect([...perUser.values()].every((u) => u <= limit)).toBe(true);
          expect(result.succeeded.length + result.rejected.length).toBe(pending.length);
        },
      ),
    );
  });
});
