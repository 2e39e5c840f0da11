import { formatDecimal, parseDecimal, type DecimalInput } from './decimal.codec.js';
import {
  ceilRational,
  divRational,
  mulRational,
  rational,
  roundHalfUpRational,
  type Rational,
} from './rational.js';

/**
 * Fixed-point encoding of released reals. A value v is released in integer units of a declared resolution r:
 * units = round(v / r) (half up), noise is added to the units, and the result is written back as units · r.
 *
 * Sensitivity after rounding. Rounding half up is monotone and commutes with integer shifts, so for one
 * value |round(a) - round(b)| <= ceil(|a - b|): a scalar of sensitivity Δ moves by at most ceil(Δ / r) units.
 * For a vector of d values this does NOT add up to ceil(Δ / r): each coordinate may cross a rounding
 * boundary on its own, so the L1 change in units is at most ceil(Δ / r) + d - 1 (see
 * `vectorSensitivityUnits`), and that bound is reached.
 */
export interface FixedPoint {
  readonly resolution: Rational;
}

/** Precondition: `resolution` is a positive decimal (e.g. `'0.01'`). Throws RangeError otherwise. */
export function fixedPoint(resolution: DecimalInput): FixedPoint {
  const r = parseDecimal(resolution);
  if (r.num <= 0n) throw new RangeError(`resolution must be positive, got ${String(resolution)}`);
  return { resolution: r };
}

/** The value in integer units of the resolution, rounded half up. */
export function toUnits(fp: FixedPoint, value: DecimalInput): bigint {
  return roundHalfUpRational(divRational(parseDecimal(value), fp.resolution));
}

/** A real sensitivity Δ >= 0 of ONE value expressed in integer units: ceil(Δ / r) (see FixedPoint). */
export function sensitivityUnits(fp: FixedPoint, sensitivity: DecimalInput): bigint {
  const delta = parseDecimal(sensitivity);
  if (delta.num < 0n) throw new RangeError('sensitivity must be >= 0');
  return ceilRational(divRational(delta, fp.resolution));
}

/**
 * The L1 sensitivity, in units, of a vector of `dimension` values rounded one by one, when the real vector's
 * L1 sensitivity is Δ > 0: ceil(Δ / r) + d - 1.
 *
 * Proof: let δ_i = |v_i - v'_i| / r, so Σ δ_i <= Δ / r. A coordinate with δ_i = 0 does not move; one with
 * δ_i > 0 moves by at most ceil(δ_i) < δ_i + 1 units. Summed over at most d moving coordinates the integer
 * total is < Δ/r + d, hence <= ceil(Δ/r) + d - 1. Tight: d - 1 coordinates nudged just across a rounding
 * boundary (1 unit each for almost nothing) and the rest of Δ spent on one coordinate.
 * Preconditions: Δ > 0 and `dimension` a positive safe integer.
 */
export function vectorSensitivityUnits(fp: FixedPoint, sensitivity: DecimalInput, dimension: number): bigint {
  if (!Number.isSafeInteger(dimension) || dimension < 1) {
    throw new RangeError(`dimension must be a positive integer, got ${dimension}`);
  }
  const units = sensitivityUnits(fp, sensitivity);
  if (units === 0n) throw new RangeError('sensitivity must be positive');
  return units + BigInt(dimension) - 1n;
}

/** The exact decimal string for `units · r` (terminates because r is a decimal). */
export function fromUnits(fp: FixedPoint, units: bigint): string {
  return formatDecimal(mulRational(rational(units), fp.resolution));
}
