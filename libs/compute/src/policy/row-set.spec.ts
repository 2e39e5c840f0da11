import {
  intersectionSize,
  isNormalRowSet,
  rowSetFromIds,
  rowSetFromRanges,
  rowSetSize,
  rowSetsEqual,
  symmetricDifferenceSize,
  type RowSet,
} from './row-set.js';

function naiveSymmetricDifference(a: number[], b: number[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  return [...sa].filter((x) => !sb.has(x)).length + [...sb].filter((x) => !sa.has(x)).length;
}

describe('row sets', () => {
  it('normalises ids into sorted, merged ranges', () => {
    expect(rowSetFromIds([5, 1, 2, 3, 3, 9, 10])).toEqual([
      [1, 4],
      [5, 6],
      [9, 11],
    ]);
    expect(rowSetFromIds([])).toEqual([]);
    expect(() => rowSetFromIds([1.5])).toThrow(RangeError);
    expect(() => rowSetFromIds([-1])).toThrow(RangeError);
  });

  it('normalises overlapping, adjacent and empty ranges', () => {
    expect(
      rowSetFromRanges([
        [10, 20],
        [0, 5],
        [5, 7],
        [15, 25],
        [30, 30],
      ]),
    ).toEqual([
      [0, 7],
      [10, 25],
    ]);
    expect(() => rowSetFromRanges([[5, 4]])).toThrow(RangeError);
  });

  it('recognises the normal form only', () => {
    expect(
      isNormalRowSet([
        [0, 3],
        [5, 6],
      ]),
    ).toBe(true);
    expect(isNormalRowSet([])).toBe(true);
    expect(
      isNormalRowSet([
        [0, 3],
        [3, 6],
      ]),
    ).toBe(false); // adjacent
    expect(
      isNormalRowSet([
        [5, 6],
        [0, 3],
      ]),
    ).toBe(false); // unsorted
    expect(isNormalRowSet([[2, 2]])).toBe(false); // empty range
    expect(isNormalRowSet([[0.5, 2]])).toBe(false);
    expect(isNormalRowSet('rows')).toBe(false);
  });

  it('computes sizes, intersections and symmetric differences like plain sets', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const a = Array.from({ length: next() % 60 }, () => next() % 80);
      const b = Array.from({ length: next() % 60 }, () => next() % 80);
      const ra: RowSet = rowSetFromIds(a);
      const rb: RowSet = rowSetFromIds(b);
      expect(rowSetSize(ra)).toBe(new Set(a).size);
      expect(intersectionSize(ra, rb)).toBe([...new Set(a)].filter((x) => b.includes(x)).length);
      expect(symmetricDifferenceSize(ra, rb)).toBe(naiveSymmetricDifference(a, b));
    }
  });

  it('compares for equality', () => {
    expect(rowSetsEqual(rowSetFromIds([1, 2, 3]), [[1, 4]])).toBe(true);
    expect(rowSetsEqual(rowSetFromIds([1, 2, 3]), [[1, 3]])).toBe(false);
  });
});
