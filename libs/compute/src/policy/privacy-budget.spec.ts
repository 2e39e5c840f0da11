import { formatMilliEpsilon, toMilliEpsilon } from './epsilon.units.js';
import {
  createPrivacyBudget,
  isValidPrivacyBudget,
  remainingMilliEpsilon,
  spendEpsilon,
} from './privacy-budget.js';

describe('epsilon units', () => {
  it('converts decimals to exact milli-epsilon and back', () => {
    expect(toMilliEpsilon('0.1')).toBe(100);
    expect(toMilliEpsilon(0.3)).toBe(300);
    expect(toMilliEpsilon(2)).toBe(2000);
    expect(formatMilliEpsilon(1250)).toBe('1.25');
    expect(formatMilliEpsilon(1000)).toBe('1');
    expect(formatMilliEpsilon(1)).toBe('0.001');
  });

  it('rejects epsilon finer than 0.001', () => {
    expect(() => toMilliEpsilon('0.0005')).toThrow(RangeError);
  });
});

describe('privacy budget', () => {
  it('spends exactly, without floating-point drift', () => {
    let budget = createPrivacyBudget('c1', '0.3');
    for (const id of ['r1', 'r2', 'r3']) {
      const result = spendEpsilon(budget, id, toMilliEpsilon(0.1));
      if (!result.ok) throw new Error(result.reason);
      budget = result.budget;
    }
    // 0.1 + 0.1 + 0.1 > 0.3 in doubles; in milli-units the budget is exactly used up.
    expect(budget.spentMilliEpsilon).toBe(300);
    expect(remainingMilliEpsilon(budget)).toBe(0);
    expect(budget.releases.map((r) => r.releaseId)).toEqual(['r1', 'r2', 'r3']);
    expect(isValidPrivacyBudget(budget)).toBe(true);
  });

  it('refuses a spend past the total and leaves the input untouched', () => {
    const budget = createPrivacyBudget('c1', 1);
    const first = spendEpsilon(budget, 'r1', 700);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = spendEpsilon(first.budget, 'r2', 301);
    expect(second).toEqual({ ok: false, code: 'budget_exhausted', reason: expect.stringContaining('0.3') });
    expect(budget.spentMilliEpsilon).toBe(0);
    expect(spendEpsilon(first.budget, 'r2', 300).ok).toBe(true);
  });

  it('validates its inputs and invariants', () => {
    expect(() => createPrivacyBudget('c1', 0)).toThrow(RangeError);
    expect(() => spendEpsilon(createPrivacyBudget('c1', 1), 'r', 0)).toThrow(RangeError);
    expect(
      isValidPrivacyBudget({ contractId: 'c', totalMilliEpsilon: 100, spentMilliEpsilon: 50, releases: [] }),
    ).toBe(false);
    expect(
      isValidPrivacyBudget({
        contractId: 'c',
        totalMilliEpsilon: 100,
        spentMilliEpsilon: 150,
        releases: [{ releaseId: 'r', milliEpsilon: 150 }],
      }),
    ).toBe(false);
  });
});
