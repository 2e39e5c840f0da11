import fc from 'fast-check';
import { fixedPoint } from './fixed-point.codec.js';
import { calibrateNoise } from './noise.calibration.js';
import { createOutputPolicy } from './output-policy.js';
import { createPrivacyBudget, type PrivacyBudget } from './privacy-budget.js';
import { maxPrivacyLoss } from './privacy-loss.stat.js';
import type { RandomSource } from './random-source.js';
import type { ReleaseHistory } from './release-history.js';
import type { ReleaseDecision } from './release-request.js';
import { evaluateRelease } from './release.evaluator.js';
import { rowSetFromRanges, rowSetSize, type RowSet } from './row-set.js';
import { createSha256DrbgRandomSource } from './sha256-drbg.random-source.js';

// Issue 8, item 10: with k = 10, [0,10), [1,21) and [11,21) pass the pairwise differencing check, yet
// sum[0,10) - (sum[1,21) - sum[11,21)) = x0 - x10. The tests show what bounds that combination: each
// release is charged, and by sequential composition the joint privacy loss about any row is at most the
// ε of the releases that contain it, hence at most the spent budget, and the budget refuses what follows.

const TOLERANCE = 1e-9;
const CLIP = 100; // every x_i lies in [0, 100]: a row changes a sum by at most 100
const policy = createOutputPolicy({ contractId: 'c', minRows: 10 });
const rows = (start: number, end: number): RowSet => rowSetFromRanges([[start, end]]);

function dataset(size: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: size }, () => (s = (s * 48271) % 2147483647) % (CLIP + 1));
}

function sumOver(data: readonly (number | undefined)[], rowSet: RowSet): number {
  let total = 0;
  for (const [start, end] of rowSet) for (let i = start; i < end; i++) total += data[i] ?? 0;
  return total;
}

function noRandomness(): RandomSource {
  const fail = (): never => {
    throw new Error('a refusal must not draw noise');
  };
  return { randomInt: fail, randomBits: fail };
}

interface State {
  budget: PrivacyBudget;
  history: ReleaseHistory;
}

function ask(
  state: State,
  data: readonly number[],
  releaseId: string,
  rowSet: RowSet,
  milliEpsilon: number,
  random: RandomSource,
): ReleaseDecision {
  const decision = evaluateRelease({
    policy,
    ...state,
    releaseId,
    queryKey: 'sum(x)',
    rowSet,
    values: [sumOver(data, rowSet)],
    sensitivity: CLIP,
    epsilon: milliEpsilon / 1000,
    random,
  });
  if (decision.decision === 'release') {
    state.budget = decision.newBudget;
    state.history = [...state.history, decision.newHistoryEntry];
  }
  return decision;
}

/**
 * Exact privacy loss of all released sums about row `victim` (the dataset with it versus without it): the
 * releases are independent, so the joint loss is the sum of each release's loss.
 */
function jointLoss(history: ReleaseHistory, data: readonly number[], victim: number): number {
  const without = data.map((x, i) => (i === victim ? undefined : x));
  const fp = fixedPoint('1');
  return history.reduce((acc, record) => {
    const withRow = calibrateNoise(fp, [sumOver(data, record.rowSet)], CLIP, record.milliEpsilon);
    const withoutRow = calibrateNoise(fp, [sumOver(without, record.rowSet)], CLIP, record.milliEpsilon);
    return acc + maxPrivacyLoss(withRow, withoutRow);
  }, 0);
}

describe('differencing across three releases is bounded by the ε budget', () => {
  const data = dataset(21, 7);
  const state: State = { budget: createPrivacyBudget('c', 1), history: [] };
  const random = createSha256DrbgRandomSource('composition');
  const decisions = [
    ask(state, data, 'A', rows(0, 10), 300, random),
    ask(state, data, 'B', rows(1, 21), 300, random),
    ask(state, data, 'C', rows(11, 21), 300, random),
  ];

  it('releases all three: pairwise they differ by at least k = 10 rows', () => {
    expect(decisions.map((d) => d.decision)).toEqual(['release', 'release', 'release']);
    // Without noise the combination would isolate x0 - x10.
    const [a, b, c] = [rows(0, 10), rows(1, 21), rows(11, 21)].map((r) => sumOver(data, r));
    expect(a - (b - c)).toBe(data[0] - data[10]);
  });

  it('charges the budget for each of the three', () => {
    expect(state.budget.spentMilliEpsilon).toBe(900);
    expect(state.budget.releases).toEqual([
      { releaseId: 'A', milliEpsilon: 300 },
      { releaseId: 'B', milliEpsilon: 300 },
      { releaseId: 'C', milliEpsilon: 300 },
    ]);
  });

  it('leaks about any row at most the ε of the releases containing it (exact joint law)', () => {
    // Rows 0 and 10, the ones the combination targets, each lie in one release: 0.3. Rows 11..20 lie in two.
    expect(jointLoss(state.history, data, 0)).toBeLessThanOrEqual(0.3 + TOLERANCE);
    expect(jointLoss(state.history, data, 10)).toBeLessThanOrEqual(0.3 + TOLERANCE);
    for (let victim = 0; victim < data.length; victim++) {
      const containing = state.history.filter((r) =>
        r.rowSet.some(([lo, hi]) => lo <= victim && victim < hi),
      );
      const bound = containing.reduce((acc, r) => acc + r.milliEpsilon / 1000, 0);
      expect(jointLoss(state.history, data, victim)).toBeLessThanOrEqual(bound + TOLERANCE);
      expect(bound).toBeLessThanOrEqual(state.budget.spentMilliEpsilon / 1000);
    }
  });

  it('refuses a fourth release that would pass the budget, before drawing noise', () => {
    const snapshot = { ...state };
    const fourth = ask(snapshot, data, 'D', rows(100, 150), 300, noRandomness());
    expect(fourth).toMatchObject({ decision: 'refuse', code: 'budget_exhausted' });
    expect(snapshot.budget.spentMilliEpsilon).toBe(900);
    // What is left can still be spent, and then nothing more.
    const last = ask(snapshot, data, 'D', rows(100, 150), 100, random);
    expect(last.decision).toBe('release');
    expect(ask(snapshot, data, 'E', rows(200, 250), 1, noRandomness())).toMatchObject({
      code: 'budget_exhausted',
    });
  });
});

describe('any sequence of releases (property)', () => {
  it('charges each release, never passes the budget, and bounds every row’s joint loss by the spent ε', () => {
    const data = dataset(40, 11);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(39), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 50, max: 500 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (requests) => {
          const state: State = { budget: createPrivacyBudget('c', 1), history: [] };
          const random = createSha256DrbgRandomSource('property');
          let charged = 0;
          requests.forEach(([start, length, milliEpsilon], i) => {
            const rowSet = rows(start, Math.min(40, start + length));
            const remaining = state.budget.totalMilliEpsilon - state.budget.spentMilliEpsilon;
            const decision = ask(state, data, `r${i}`, rowSet, milliEpsilon, random);
            if (decision.decision === 'release') {
              expect(milliEpsilon).toBeLessThanOrEqual(remaining);
              charged += milliEpsilon;
            }
            if (decision.decision === 'refuse' && decision.code === 'budget_exhausted') {
              expect(milliEpsilon).toBeGreaterThan(remaining);
            }
            if (rowSetSize(rowSet) < 10) expect(decision.decision).toBe('refuse');
          });
          expect(state.budget.spentMilliEpsilon).toBe(charged);
          expect(charged).toBeLessThanOrEqual(1000);
          for (let victim = 0; victim < data.length; victim++) {
            expect(jointLoss(state.history, data, victim)).toBeLessThanOrEqual(charged / 1000 + TOLERANCE);
          }
        },
      ),
      { numRuns: 40, seed: 8 },
    );
  });
});
