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
 * Why it preserves the sensitivity bound: rounding half up is monotone and commutes with integer shifts,
 * so if |v - v'| <= n·r for an integer n then |round(v/r) - round(v'/r)| <= n. The integer sensitivity is
 * therefore n = ceil(Δ / r) for a real-valued sensitivity Δ.
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

/** A real sensitivity Δ >= 0 expressed in integer units: ceil(Δ / r) (conservative, see FixedPoint). */
export function sensitivityUnits(fp: FixedPoint, sensitivity: DecimalInput): bigint {
  const delta = parseDecimal(sensitivity);
  if (delta.num < 0n) throw new RangeError('sensitivity must be >= 0');
  return ceilRational(divRational(delta, fp.resolution));
}

/** The exact decimal string for `units · r` (terminates because r is a decimal). */
export function fromUnits(fp: FixedPoint, units: bigint): string {
  return formatDecimal(mulRational(rational(units), fp.resolution));
}
