import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEDUCTION_ID_PATTERN, deductionIds } from '../../../../lambdas/domain/deductions/id.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('deductionIds', () => {
  it('names the same request for the same owner and key, in the documented format', () => {
    const ids = deductionIds(SECRET);
    const id = ids('sub-ann', '6f1c2a9e-demo-0001');

    expect(ids('sub-ann', '6f1c2a9e-demo-0001')).toBe(id);
    expect(id).toMatch(DEDUCTION_ID_PATTERN);
    expect(id).toHaveLength(28);
  });

  it('scopes a key to its owner: another buyer, or another key, names another request', () => {
    const ids = deductionIds(SECRET);

    fc.assert(
      fc.property(
        fc.stringMatching(/^[\x21-\x7E]{1,40}$/),
        fc.stringMatching(/^[\x21-\x7E]{1,40}$/),
        fc.stringMatching(/^[\x21-\x7E]{8,40}$/),
        (a, b, key) => {
          fc.pre(a !== b);
          expect(ids(a, key)).not.toBe(ids(b, key));
          expect(ids(a, key)).not.toBe(ids(a, `${key}x`));
        },
      ),
    );
  });

  it('cannot be derived without the secret: the unkeyed hash of the key (the old id) and another secret differ', async () => {
    const { createHash } = await import('node:crypto');
    const key = '6f1c2a9e-demo-0001';
    const unkeyed = `d_${createHash('sha256').update(key).digest('base64url').slice(0, 26)}`;
    const unkeyedWithOwner = `d_${createHash('sha256').update(`sub-ann\n${key}`).digest('base64url').slice(0, 26)}`;

    const id = deductionIds(SECRET)('sub-ann', key);

    expect(id).not.toBe(unkeyed);
    expect(id).not.toBe(unkeyedWithOwner);
    expect(deductionIds(`${SECRET}!`)('sub-ann', key)).not.toBe(id);
  });

  it('refuses a secret too short to keep ids unguessable', () => {
    expect(() => deductionIds('short')).toThrow(/at least 32 characters/);
  });
});
