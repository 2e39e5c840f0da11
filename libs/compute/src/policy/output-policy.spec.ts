import { createOutputPolicy, MIN_ROWS_FLOOR, outputPolicyProblem } from './output-policy.js';

describe('output policy', () => {
  it('defaults k to the floor of 10', () => {
    expect(MIN_ROWS_FLOOR).toBe(10);
    expect(createOutputPolicy({ contractId: 'c1' })).toEqual({ contractId: 'c1', minRows: 10 });
  });

  it('accepts k at or above the floor', () => {
    expect(createOutputPolicy({ contractId: 'c1', minRows: 10 }).minRows).toBe(10);
    expect(createOutputPolicy({ contractId: 'c1', minRows: 50 }).minRows).toBe(50);
  });

  it('rejects k below the floor instead of raising it', () => {
    expect(() => createOutputPolicy({ contractId: 'c1', minRows: 9 })).toThrow(/below the floor of 10/);
    expect(() => createOutputPolicy({ contractId: 'c1', minRows: 0 })).toThrow(RangeError);
    expect(() => createOutputPolicy({ contractId: 'c1', minRows: 12.5 })).toThrow(RangeError);
    expect(() => createOutputPolicy({ contractId: '' })).toThrow(RangeError);
  });

  it('flags a deserialised policy that bypassed the constructor', () => {
    expect(outputPolicyProblem({ contractId: 'c1', minRows: 3 })).toMatch(/below the floor/);
    expect(outputPolicyProblem({ contractId: 'c1', minRows: 10 })).toBeUndefined();
  });
});
