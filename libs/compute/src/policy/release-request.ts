import type { DecimalInput } from './decimal.codec.js';
import type { OutputPolicy } from './output-policy.js';
import type { PrivacyBudget } from './privacy-budget.js';
import type { RandomSource } from './random-source.js';
import type { Refusal } from './refusal.js';
import type { ReleaseHistory, ReleaseRecord } from './release-history.js';
import type { RowSet } from './row-set.js';

export interface ReleaseRequest {
  readonly policy: OutputPolicy;
  readonly budget: PrivacyBudget;
  /** Every earlier release of this contract over the same dataset (row ids index the same rows). */
  readonly history: ReleaseHistory;
  /** Unique per contract; recorded in the budget and the history. */
  readonly releaseId: string;
  /** Identity of the computation, excluding the row set (e.g. hash of program and parameters). */
  readonly queryKey: string;
  /** The rows the aggregate covers, selected by filters on public columns. */
  readonly rowSet: RowSet;
  /** The exact (decrypted) aggregate values to release. */
  readonly values: readonly DecimalInput[];
  /**
   * L1 sensitivity of the whole `values` vector, in the values' own units: the most the sum of |changes|
   * over all values can be when one row is added or removed. The caller must guarantee it (e.g. by clipping).
   * It is the sensitivity of the exact, unrounded values: the extra movement rounding to `resolution` can
   * cause (up to one unit per value) is accounted for by the evaluator, not by the caller.
   */
  readonly sensitivity: DecimalInput;
  /** ε this release spends, a positive multiple of 0.001. */
  readonly epsilon: DecimalInput;
  /** Fixed-point resolution of the released values; defaults to `'1'` (integers). */
  readonly resolution?: DecimalInput;
  /** Defaults to node:crypto; inject a seeded source only in tests. */
  readonly random?: RandomSource;
}

export interface Release {
  readonly decision: 'release';
  readonly releaseId: string;
  /** Exact decimal strings, one per input value, at `resolution`. */
  readonly noisedValues: readonly string[];
  readonly resolution: string;
  /** Persist both, atomically, before showing the values to the buyer. */
  readonly newBudget: PrivacyBudget;
  readonly newHistoryEntry: ReleaseRecord;
}

/** The same computation over the same rows was released before: its values are returned, nothing is spent. */
export interface Repeat {
  readonly decision: 'repeat';
  /** The earlier release's id. */
  readonly releaseId: string;
  readonly noisedValues: readonly string[];
  readonly resolution: string;
}

export type ReleaseDecision = Release | Repeat | Refusal;
