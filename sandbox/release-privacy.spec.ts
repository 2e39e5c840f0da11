import fc from 'fast-check';
import { calibrateNoise, fixedPoint, maxPrivacyLoss, worstCaseNeighbours } from '@app/compute';
import { fixedPointFactor, indicatorName, indicatorSpec, type ColumnSpec } from '@app/he/evaluation';
import {
  CATALOGUE,
  releaseSensitivity,
  releasedTerms,
  resolutionFor,
  rowContribution,
  l1,
  type ReleasedTerms,
} from './index.js';

// Issue 8, item 9: the ε claim of a release must hold for every recipe's output shape. A recipe releases
// the vector of its decrypted aggregates (its plan's terms; `count` releases n), noised by the output
// policy; `finish` then runs on the noised aggregates, which is post-processing. For each recipe this test
// derives the vector and its L1 sensitivity with the production function (`release-sensitivity.ts`, what the
// data holder's agent noises with) from the recipe's own plan and the columns' declared ranges, checks that bound on real neighbouring datasets (one row removed), and checks with the exact output law
// that the release loses at most ε, for real neighbours and for the worst neighbours of that shape.

const TOLERANCE = 1e-9;
const ROWS = 30;
const EDGES = [0, 10, 25, 50, 100];

const COLUMNS: ColumnSpec[] = [
  { name: 'x', kind: 'real', min: -50, max: 150 },
  { name: 'y', kind: 'real', min: -150, max: 400 },
  { name: 'a', kind: 'decimal', decimals: 2, min: -1000, max: 1000 },
  { name: 'b', kind: 'integer', min: 0, max: 100, buckets: EDGES },
  ...Array.from({ length: 8 }, (_, i): ColumnSpec => ({ name: `f${i}`, kind: 'real', min: -2, max: 3 })),
];
const SPECS: Record<string, ColumnSpec> = Object.fromEntries([
  ...COLUMNS.map((s) => [s.name, s]),
  ...EDGES.slice(1).map((_, i) => [indicatorName('b', i), indicatorSpec(COLUMNS[3], i)]),
]);

const WEIGHTS = Array.from({ length: ROWS }, (_, i) => ((i * 7) % 11) - 5); // integers in [-5, 5]

interface Shape {
  readonly roles: Record<string, string[]>;
  readonly params?: unknown;
  /** Number of released values, as docs/output-policy.md states it. */
  readonly dimension: number;
}

/** One binding per catalogue entry; the first test fails when a recipe is added without one. */
const SHAPES: Record<string, Shape> = {
  count: { roles: { x: ['x'] }, dimension: 1 },
  sum: { roles: { x: ['a'] }, dimension: 1 },
  mean: { roles: { x: ['x'] }, dimension: 1 },
  variance: { roles: { x: ['y'] }, dimension: 2 },
  stddev: { roles: { x: ['a'] }, params: { sample: true }, dimension: 2 },
  covariance: { roles: { x: ['x'], y: ['y'] }, dimension: 3 },
  correlation: { roles: { x: ['x'], y: ['a'] }, dimension: 5 },
  'dot-product': { roles: { x: ['x'] }, params: { weights: WEIGHTS }, dimension: 1 },
  histogram: { roles: { x: ['b'] }, dimension: 4 },
  'linear-regression': {
    roles: { features: Array.from({ length: 8 }, (_, i) => `f${i}`), y: ['y'] },
    dimension: 53,
  },
};

type Row = Record<string, number>;

/** One row's contribution to each released value, with the row's own weight (the production function). */
function contribution(terms: ReleasedTerms, row: Row, index: number): number[] {
  return rowContribution(terms, SPECS, row, (term) => term.weights[index]);
}

function aggregates(terms: ReleasedTerms, rows: readonly Row[], skip = -1): number[] {
  const total = new Array<number>(Math.max(1, terms.length)).fill(0);
  rows.forEach((row, i) => {
    if (i === skip) return;
    contribution(terms, row, i).forEach((c, j) => (total[j] += c));
  });
  return total;
}

const HEAVIEST_WEIGHT_ROW = WEIGHTS.reduce((m, w, i) => (Math.abs(w) > Math.abs(WEIGHTS[m]) ? i : m), 0);

function randomRows(next: () => number, count: number): Row[] {
  return Array.from({ length: count }, () =>
    Object.fromEntries(
      COLUMNS.map((s) => {
        const raw = s.min + next() * (s.max - s.min);
        return [
          s.name,
          s.kind === 'real' ? raw : Math.round(raw * fixedPointFactor(s)) / fixedPointFactor(s),
        ];
      }),
    ),
  );
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function releaseLoss(
  values: number[],
  neighbour: number[],
  delta: number,
  resolution: string,
  milli: number,
) {
  const fp = fixedPoint(resolution);
  return maxPrivacyLoss(
    calibrateNoise(fp, values, delta, milli),
    calibrateNoise(fp, neighbour, delta, milli),
  );
}

function planOf(id: string) {
  const recipe = CATALOGUE.get(id)!;
  const shape = SHAPES[id];
  const params = recipe.parseParams(shape.params, { rows: ROWS });
  const plan = recipe.plan({ roles: shape.roles, specs: SPECS, n: ROWS, rows: ROWS }, params);
  const { delta, heaviest, resolution, dimension } = releaseSensitivity(plan, SPECS);
  return { terms: releasedTerms(plan), heaviest, delta, resolution, dimension };
}

describe('every recipe release keeps its ε claim', () => {
  it('covers every catalogue entry', () => {
    expect(Object.keys(SHAPES).sort()).toEqual([...CATALOGUE.keys()].sort());
  });

  describe.each(Object.keys(SHAPES))('%s', (id) => {
    const { terms, heaviest, delta, resolution, dimension } = planOf(id);

    it(`releases ${SHAPES[id].dimension} value(s)`, () => {
      expect(dimension).toBe(SHAPES[id].dimension);
    });

    it('real neighbours (one row removed) stay within Δ, reach it, and lose at most ε', () => {
      // Random rows, one of them replaced by the row of largest contribution (where the weight is largest).
      const rows = randomRows(seeded(id.length * 7919), ROWS);
      rows[HEAVIEST_WEIGHT_ROW] = heaviest;
      const full = aggregates(terms, rows);
      let reached = 0;
      for (let victim = 0; victim < ROWS; victim++) {
        const without = aggregates(terms, rows, victim);
        const moved = l1(full.map((v, j) => v - without[j]));
        expect(moved).toBeLessThanOrEqual(delta * (1 + 1e-12));
        reached = Math.max(reached, moved);
        expect(releaseLoss(full, without, delta, resolution, 1000)).toBeLessThanOrEqual(1 + TOLERANCE);
      }
      expect(reached).toBeCloseTo(delta, 6);
    });

    it('the worst neighbours of this shape lose exactly ε, no more', () => {
      const { values, neighbour } = worstCaseNeighbours(dimension, delta, resolution);
      const fp = fixedPoint(resolution);
      const loss = maxPrivacyLoss(
        calibrateNoise(fp, values, delta, 700),
        calibrateNoise(fp, neighbour, delta, 700),
      );
      expect(loss).toBeLessThanOrEqual(0.7 + TOLERANCE);
      expect(loss).toBeGreaterThan(0.7 - TOLERANCE);
    });

    it('random datasets, victims, ε and resolutions lose at most ε (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 2 ** 31 }),
          fc.nat(ROWS - 1),
          fc.integer({ min: 1, max: 3000 }),
          fc.constantFrom(0.1, 1, 10),
          (seed, victim, milli, scale) => {
            const rows = randomRows(seeded(seed), ROWS);
            const r = resolutionFor(delta * scale);
            const loss = releaseLoss(
              aggregates(terms, rows),
              aggregates(terms, rows, victim),
              delta,
              r,
              milli,
            );
            return loss <= milli / 1000 + TOLERANCE;
          },
        ),
        { numRuns: 15, seed: id.length },
      );
    });
  });
});
