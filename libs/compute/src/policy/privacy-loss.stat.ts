import { formatDecimal, parseDecimal, type DecimalInput } from './decimal.codec.js';
import { fixedPoint } from './fixed-point.codec.js';
import { calibrateNoise, fineToOutputUnits, type NoiseCalibration } from './noise.calibration.js';
import { addRational, divRational, floorDiv, mulRational, rational } from './rational.js';

/**
 * Auditing tools: the exact law of a calibrated release and the exact privacy loss between two inputs.
 * They use floating point (logarithms) and never feed the sampler; they let anyone check the ε claim of
 * `calibrateNoise` for concrete neighbouring inputs instead of trusting its proof.
 */

/** ln(e^a + e^b) without overflow. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(Math.min(a, b) - high));
}

/** ln(1 - e^x) for x < 0, accurate near 0 and far below it. */
function logOneMinusExp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** ln Σ_{y=a}^{b} q^|y| with ln q = `logQ` < 0; -Infinity for an empty range. */
function logGeometricSum(a: bigint, b: bigint, logQ: number): number {
  if (a > b) return -Infinity;
  if (a >= 0n) {
    const count = Number(b - a + 1n);
    return Number(a) * logQ + logOneMinusExp(count * logQ) - logOneMinusExp(logQ);
  }
  if (b <= 0n) return logGeometricSum(-b, -a, logQ);
  return logAddExp(logGeometricSum(1n, -a, logQ), logGeometricSum(0n, b, logQ));
}

/**
 * ln P[the release of coordinate `index` is k output units], exactly for the discrete Laplace law
 * P[Y = y] = (1 - q)/(1 + q) · q^|y|, q = e^{-1/scale}, summed over the fine values z that round to k:
 * z in [ceil(m(2k - 1)/2), ceil(m(2k + 1)/2) - 1].
 */
export function releasedUnitLogPmf(calibration: NoiseCalibration, index: number, k: bigint): number {
  const m = calibration.finePerUnit;
  const centre = calibration.centres[index];
  if (centre === undefined) throw new RangeError(`no coordinate ${index}`);
  const logQ = -Number(calibration.scale.den) / Number(calibration.scale.num);
  const low = -floorDiv(-(m * (2n * k - 1n)), 2n);
  const high = -floorDiv(-(m * (2n * k + 1n)), 2n) - 1n;
  const normaliser = logOneMinusExp(logQ) - Math.log1p(Math.exp(logQ));
  return normaliser + logGeometricSum(low - centre, high - centre, logQ);
}

/**
 * The exact privacy loss between the releases of two inputs under the same mechanism:
 * max over every output vector o of |ln P[M(v) = o] - ln P[M(v') = o]|. Coordinates are independent, so the
 * maximum is the sum of per-coordinate maxima. Per coordinate only outputs between the two centres (plus one
 * on each side) need checking: beyond both centres the log-ratio is constant (every fine value rounding to k
 * lies on the same side of both centres). Cost: O(d + Σ|c_i - c'_i| / m).
 * Precondition: both calibrations share resolution, m, scale and dimension (else RangeError).
 */
export function maxPrivacyLoss(a: NoiseCalibration, b: NoiseCalibration): number {
  const sameMechanism =
    a.finePerUnit === b.finePerUnit &&
    a.scale.num === b.scale.num &&
    a.scale.den === b.scale.den &&
    a.resolution.num === b.resolution.num &&
    a.resolution.den === b.resolution.den &&
    a.centres.length === b.centres.length;
  if (!sameMechanism) throw new RangeError('maxPrivacyLoss: the calibrations describe different mechanisms');
  let forward = 0;
  let backward = 0;
  a.centres.forEach((centreA, i) => {
    const centreB = b.centres[i];
    const lowest = fineToOutputUnits(a, centreA < centreB ? centreA : centreB) - 1n;
    const highest = fineToOutputUnits(a, centreA > centreB ? centreA : centreB) + 1n;
    let most = -Infinity;
    let least = Infinity;
    for (let k = lowest; k <= highest; k++) {
      const ratio = releasedUnitLogPmf(a, i, k) - releasedUnitLogPmf(b, i, k);
      most = Math.max(most, ratio);
      least = Math.min(least, ratio);
    }
    forward += most;
    backward -= least;
  });
  return Math.max(forward, backward);
}

/**
 * The worst neighbouring inputs for a release of `dimension` values at (Δ, r): every value sits just below a
 * rounding boundary of the fine grid; the neighbour nudges d - 1 of them across it (by 10^-12 of a fine
 * unit each) and spends the rest of Δ on the last one. Their rounded fine vectors differ by the full
 * ceil(m·Δ/r) + d - 1 units the noise is sized for, so `maxPrivacyLoss` of their calibrations is ε exactly.
 * Preconditions: `dimension` a positive safe integer, Δ > 0, r > 0.
 */
export function worstCaseNeighbours(
  dimension: number,
  sensitivity: DecimalInput,
  resolution: DecimalInput,
): { values: string[]; neighbour: string[] } {
  const fp = fixedPoint(resolution);
  const { finePerUnit } = calibrateNoise(fp, new Array<string>(dimension).fill('0'), sensitivity, 1000);
  const fine = divRational(fp.resolution, rational(finePerUnit));
  const boundary = mulRational(fine, rational(1n, 2n)); // round half up: half a fine unit rounds to 1
  const nudge = mulRational(fine, rational(1n, 10n ** 12n));
  const below = addRational(boundary, rational(-nudge.num, nudge.den));
  const rest = addRational(parseDecimal(sensitivity), mulRational(nudge, rational(BigInt(1 - dimension))));
  const values = new Array<string>(dimension).fill(formatDecimal(below));
  const neighbour = values.map((_, i) =>
    formatDecimal(i < dimension - 1 ? boundary : addRational(below, rest)),
  );
  return { values, neighbour };
}
