import fc from 'fast-check';
import { formatDecimal, parseDecimal } from './decimal.codec.js';
import { fixedPoint } from './fixed-point.codec.js';
import { calibrateNoise, type NoiseCalibration } from './noise.calibration.js';
import { maxPrivacyLoss, worstCaseNeighbours } from './privacy-loss.stat.js';
import { addRational, rational, type Rational } from './rational.js';

// Floating-point slack of the exact-law computation (logarithms of sums), far below any real excess.
const TOLERANCE = 1e-9;

/** The exact privacy loss of releasing `values` versus `neighbour` at (Δ, r, ε), as evaluateRelease does it. */
function loss(
  values: readonly string[],
  neighbour: readonly string[],
  sensitivity: string,
  resolution: string,
  milliEpsilon: number,
): number {
  const fp = fixedPoint(resolution);
  return maxPrivacyLoss(
    calibrateNoise(fp, values, sensitivity, milliEpsilon),
    calibrateNoise(fp, neighbour, sensitivity, milliEpsilon),
  );
}

/** A hand-built calibration of the mechanism before this fix: per-value rounding, scale ceil(Δ/r)/ε. */
function perValueRounding(centres: bigint[], unitsOfSensitivity: bigint): NoiseCalibration {
  return {
    resolution: rational(1n),
    finePerUnit: 1n,
    centres,
    sensitivityFineUnits: unitsOfSensitivity,
    scale: rational(unitsOfSensitivity),
    milliEpsilon: 1000,
  };
}

describe('the ε claim holds for multi-value releases (exact output laws)', () => {
  it("the issue's example: (0.5, 0.5, 0.5, 0.5) against (0, 0, 0, 0.5), Δ = 1.5, r = 1, ε = 1", () => {
    const values = ['0.5', '0.5', '0.5', '0.5'];
    const neighbour = ['0', '0', '0', '0.5'];
    expect(loss(values, neighbour, '1.5', '1', 1000)).toBeLessThanOrEqual(1 + TOLERANCE);
    // The same check on the old mechanism (round each value to r, scale ceil(1.5) = 2 units) finds 1.5ε:
    // the rounded vectors (1,1,1,1) and (0,0,0,1) are 3 units apart, not 2.
    const before = maxPrivacyLoss(
      perValueRounding([1n, 1n, 1n, 1n], 2n),
      perValueRounding([0n, 0n, 0n, 1n], 2n),
    );
    expect(before).toBeCloseTo(1.5, 9);
  });

  const shapes: [dimension: number, sensitivity: string, resolution: string, milliEpsilon: number][] = [
    [1, '1.5', '1', 1000],
    [2, '1.5', '1', 1000],
    [4, '1.5', '1', 1000], // the shape
    [5, '1', '1', 250], // histogram with 5 buckets at k = 1 row
    [3, '0.003', '0.01', 100], // Δ far below the resolution
    [53, '350', '0.01', 2000], // linear regression with 8 features: 53 aggregates
  ];

  it.each(shapes)(
    'd = %i, Δ = %s, r = %s, milli-ε = %i: the worst neighbours lose exactly ε, no more',
    (dimension, sensitivity, resolution, milliEpsilon) => {
      const { values, neighbour } = worstCaseNeighbours(dimension, sensitivity, resolution);
      // The pair really is at L1 distance <= Δ...
      const distance = values.reduce(
        (acc, v, i) =>
          addRational(acc, absRational(addRational(parseDecimal(neighbour[i]), negate(parseDecimal(v))))),
        rational(0n),
      );
      expect(compare(distance, parseDecimal(sensitivity))).toBeLessThanOrEqual(0);
      // ...and the rounded fine vectors are L apart, the bound the noise is sized for.
      const fp = fixedPoint(resolution);
      const a = calibrateNoise(fp, values, sensitivity, milliEpsilon);
      const b = calibrateNoise(fp, neighbour, sensitivity, milliEpsilon);
      const moved = a.centres.reduce((acc, c, i) => acc + abs(c - b.centres[i]), 0n);
      expect(moved).toBe(a.sensitivityFineUnits);
      const epsilon = milliEpsilon / 1000;
      const measured = maxPrivacyLoss(a, b);
      expect(measured).toBeLessThanOrEqual(epsilon + TOLERANCE);
      expect(measured).toBeGreaterThan(epsilon - TOLERANCE);
    },
  );

  it('holds for random neighbours within L1 distance Δ (property, 300 cases)', () => {
    const micro = (n: bigint) => formatDecimal(rational(n, 1_000_000n));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('1', '0.01', '0.5', '25'),
        fc.bigInt({ min: 1n, max: 5_000_000n }), // Δ in millionths: 0.000001 .. 5
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.tuple(fc.bigInt({ min: -10_000_000n, max: 10_000_000n }), fc.nat(1000), fc.boolean()), {
          minLength: 6,
          maxLength: 6,
        }),
        (dimension, resolution, deltaMicro, milliEpsilon, coordinates) => {
          const used = coordinates.slice(0, dimension);
          const weight = BigInt(used.reduce((acc, [, w]) => acc + w, 0) || 1);
          const values = used.map(([base]) => micro(base));
          // Split at most Δ over the coordinates in proportion to the weights, with random signs.
          const neighbour = used.map(([base, w, up]) => {
            const move = (deltaMicro * BigInt(w)) / weight;
            return micro(up ? base + move : base - move);
          });
          const measured = loss(values, neighbour, micro(deltaMicro), resolution, milliEpsilon);
          return measured <= milliEpsilon / 1000 + TOLERANCE;
        },
      ),
      { numRuns: 300, seed: 20261201 },
    );
  });
});

function negate(r: Rational): Rational {
  return rational(-r.num, r.den);
}

function absRational(r: Rational): Rational {
  return r.num < 0n ? negate(r) : r;
}

function compare(a: Rational, b: Rational): number {
  const diff = a.num * b.den - b.num * a.den;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}
