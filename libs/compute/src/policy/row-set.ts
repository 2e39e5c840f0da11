/**
 * A set of row indexes, stored as sorted, disjoint, non-adjacent half-open ranges `[start, end)`.
 * A filter on public columns typically selects long runs of rows, so this stays small; it is plain JSON.
 */
export type RowSet = readonly (readonly [start: number, end: number])[];

/** Normalises any iterable of non-negative safe-integer row ids (duplicates allowed) into a RowSet. */
export function rowSetFromIds(ids: Iterable<number>): RowSet {
  const sorted = [...ids].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const id of sorted) {
    if (!Number.isSafeInteger(id) || id < 0)
      throw new RangeError(`row id must be a non-negative integer: ${id}`);
    const last = ranges.at(-1);
    if (last && id <= last[1]) last[1] = Math.max(last[1], id + 1);
    else ranges.push([id, id + 1]);
  }
  return ranges;
}

/** Normalises arbitrary (possibly overlapping, unsorted, empty) half-open ranges into a RowSet. */
export function rowSetFromRanges(input: Iterable<readonly [number, number]>): RowSet {
  const sorted = [...input]
    .map(([start, end]): [number, number] => {
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
        throw new RangeError(`invalid row range [${start}, ${end})`);
      }
      return [start, end];
    })
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const ranges: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = ranges.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  return ranges;
}

/** True iff `value` is a RowSet in normal form (callers may hand us deserialised, unchecked JSON). */
export function isNormalRowSet(value: unknown): value is RowSet {
  if (!Array.isArray(value)) return false;
  let previousEnd = -1;
  for (const range of value as unknown[]) {
    if (!Array.isArray(range) || range.length !== 2) return false;
    const [start, end] = range as unknown[];
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return false;
    if ((start as number) <= previousEnd || (end as number) <= (start as number) || (start as number) < 0) {
      return false;
    }
    previousEnd = end as number;
  }
  return true;
}

export function rowSetSize(set: RowSet): number {
  return set.reduce((sum, [start, end]) => sum + (end - start), 0);
}

/** |A ∩ B| by a linear merge of the two range lists. */
export function intersectionSize(a: RowSet, b: RowSet): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const [aStart, aEnd] = a[i];
    const [bStart, bEnd] = b[j];
    shared += Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
    if (aEnd <= bEnd) i++;
    else j++;
  }
  return shared;
}

/** |A Δ B| = |A| + |B| - 2|A ∩ B|. */
export function symmetricDifferenceSize(a: RowSet, b: RowSet): number {
  return rowSetSize(a) + rowSetSize(b) - 2 * intersectionSize(a, b);
}

export function rowSetsEqual(a: RowSet, b: RowSet): boolean {
  return a.length === b.length && a.every(([start, end], i) => start === b[i][0] && end === b[i][1]);
}
