import type { MilliEpsilon } from './epsilon.units.js';
import { rowSetSize, rowSetsEqual, symmetricDifferenceSize, type RowSet } from './row-set.js';

/** What the caller persists for each release of a contract (JSON-safe). */
export interface ReleaseRecord {
  readonly releaseId: string;
  /** Caller-chosen identity of the computation (e.g. a hash of program and parameters), excluding the row set. */
  readonly queryKey: string;
  readonly rowSet: RowSet;
  /** Decimal resolution the values were released at. */
  readonly resolution: string;
  /** Released (noised) values as exact decimal strings. */
  readonly noisedValues: readonly string[];
  readonly milliEpsilon: MilliEpsilon;
}

export type ReleaseHistory = readonly ReleaseRecord[];

/** The earlier release of the same computation over exactly the same rows, if any. */
export function findRepeat(
  history: ReleaseHistory,
  queryKey: string,
  rowSet: RowSet,
): ReleaseRecord | undefined {
  return history.find((record) => record.queryKey === queryKey && rowSetsEqual(record.rowSet, rowSet));
}

export interface DifferencingConflict {
  readonly record: ReleaseRecord;
  readonly difference: number;
}

/**
 * The first earlier release (of any computation) whose row set differs from `rowSet` by at least one and
 * fewer than `minRows` rows, if any. Identical row sets (difference 0) are not a conflict: they single out
 * no row.
 *
 * Only pairs are checked, on purpose. Three or more releases can still be combined by + and - to cover
 * fewer than k rows (k = 10: [0,10), [1,21) and [11,21) give x0 - x10), and refusing every such
 * combination is a sparsest-vector-in-a-span problem, NP-hard in general. It is not needed for the
 * guarantee: every release carries its own ε-DP noise, so any function of releases r1..rn (a difference
 * included) is (ε1 + … + εn)-DP by sequential composition, and the budget caps that sum. This check is
 * defence in depth: it stops the cheapest two-release attack and makes an attacker pay for at least three
 * noised releases (the noise of each adds up in the difference) before the budget stops them.
 */
export function findDifferencingConflict(
  history: ReleaseHistory,
  rowSet: RowSet,
  minRows: number,
): DifferencingConflict | undefined {
  const size = rowSetSize(rowSet);
  for (const record of history) {
    // |A Δ B| >= ||A| - |B||, so a large size gap settles it without a merge.
    if (Math.abs(size - rowSetSize(record.rowSet)) >= minRows) continue;
    const difference = symmetricDifferenceSize(rowSet, record.rowSet);
    if (difference > 0 && difference < minRows) return { record, difference };
  }
  return undefined;
}
