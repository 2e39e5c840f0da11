/**
 * Stable refusal codes; callers may switch on them and show them to buyers.
 * - invalid_request: malformed policy, budget, history or request (nothing was spent);
 * - below_min_rows: the row set has fewer than k rows;
 * - differencing: the row set differs from an earlier released one by 1..k-1 rows (a pairwise check,
 *   defence in depth; combinations of three or more releases are bounded by the ε budget instead);
 * - budget_exhausted: the release's ε would take the contract past its budget.
 */
export type RefusalCode = 'invalid_request' | 'below_min_rows' | 'differencing' | 'budget_exhausted';

export interface Refusal {
  readonly decision: 'refuse';
  readonly code: RefusalCode;
  readonly reason: string;
  /** For `differencing`: the earlier release the row set is too close to. */
  readonly conflictingReleaseId?: string;
}

export function refuse(code: RefusalCode, reason: string, conflictingReleaseId?: string): Refusal {
  return conflictingReleaseId === undefined
    ? { decision: 'refuse', code, reason }
    : { decision: 'refuse', code, reason, conflictingReleaseId };
}
