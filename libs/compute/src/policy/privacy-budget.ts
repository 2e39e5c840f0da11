import { isArrayValue } from './plain-value.guards.js';
import type { DecimalInput } from './decimal.codec.js';
import { formatMilliEpsilon, toMilliEpsilon, type MilliEpsilon } from './epsilon.units.js';

/** One ε spend recorded against a contract's budget. */
export interface BudgetSpend {
  readonly releaseId: string;
  readonly milliEpsilon: MilliEpsilon;
}

/**
 * A contract's ε budget as a plain value object the caller persists (JSON-safe). Invariant:
 * 0 <= spentMilliEpsilon <= totalMilliEpsilon and spentMilliEpsilon is the sum of `releases`.
 */
export interface PrivacyBudget {
  readonly contractId: string;
  readonly totalMilliEpsilon: MilliEpsilon;
  readonly spentMilliEpsilon: MilliEpsilon;
  readonly releases: readonly BudgetSpend[];
}

export type SpendResult =
  | { readonly ok: true; readonly budget: PrivacyBudget }
  | { readonly ok: false; readonly code: 'budget_exhausted'; readonly reason: string };

/** A fresh budget of `totalEpsilon` (a positive multiple of 0.001) for one contract. */
export function createPrivacyBudget(contractId: string, totalEpsilon: DecimalInput): PrivacyBudget {
  const total = toMilliEpsilon(totalEpsilon);
  if (total <= 0) throw new RangeError('total epsilon must be positive');
  return { contractId, totalMilliEpsilon: total, spentMilliEpsilon: 0, releases: [] };
}

export function remainingMilliEpsilon(budget: PrivacyBudget): MilliEpsilon {
  return budget.totalMilliEpsilon - budget.spentMilliEpsilon;
}

/**
 * Pure: spends `milliEpsilon` (> 0) for `releaseId` and returns the new budget, or a refusal if the spend
 * would take the total past the budget. Under sequential composition the contract's releases together are
 * (spentMilliEpsilon / 1000)-differentially private, so never exceeding the total bounds the overall loss.
 */
export function spendEpsilon(
  budget: PrivacyBudget,
  releaseId: string,
  milliEpsilon: MilliEpsilon,
): SpendResult {
  if (!Number.isSafeInteger(milliEpsilon) || milliEpsilon <= 0) {
    throw new RangeError(`milliEpsilon must be a positive integer, got ${milliEpsilon}`);
  }
  const remaining = remainingMilliEpsilon(budget);
  if (milliEpsilon > remaining) {
    return {
      ok: false,
      code: 'budget_exhausted',
      reason:
        `release needs epsilon ${formatMilliEpsilon(milliEpsilon)} but contract ${budget.contractId} has only ` +
        `${formatMilliEpsilon(remaining)} of ${formatMilliEpsilon(budget.totalMilliEpsilon)} left`,
    };
  }
  return {
    ok: true,
    budget: {
      ...budget,
      spentMilliEpsilon: budget.spentMilliEpsilon + milliEpsilon,
      releases: [...budget.releases, { releaseId, milliEpsilon }],
    },
  };
}

/** True iff `value` satisfies the PrivacyBudget invariants (it may come from deserialised, unchecked JSON). */
export function isValidPrivacyBudget(value: PrivacyBudget): boolean {
  const { totalMilliEpsilon: total, spentMilliEpsilon: spent, releases } = value;
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(spent) || spent < 0 || spent > total)
    return false;
  if (!isArrayValue(releases)) return false;
  const wellFormed = releases.every(
    (r) =>
      typeof r === 'object' &&
      r !== null &&
      typeof r.releaseId === 'string' &&
      Number.isSafeInteger(r.milliEpsilon) &&
      r.milliEpsilon > 0,
  );
  return wellFormed && releases.reduce((acc, r) => acc + r.milliEpsilon, 0) === spent;
}
