import { describe, expect, it } from 'vitest';
import { DEDUCTION_ID_PATTERN, deductionIdFor } from '../../../../lambdas/domain/deductions/id.js';

describe('deductionIdFor', () => {
  it('names the same request for the same key, a different one for another, in the documented format', () => {
    const id = deductionIdFor('6f1c2a9e-demo-0001');

    expect(deductionIdFor('6f1c2a9e-demo-0001')).toBe(id);
    expect(deductionIdFor('6f1c2a9e-demo-0002')).not.toBe(id);
    expect(id).toMatch(DEDUCTION_ID_PATTERN);
    expect(id).toHaveLength(28);
  });
});
