import { sampleDiscreteLaplace } from './discrete-laplace.sampler.js';
import { parseDecimal, type DecimalInput } from './decimal.codec.js';
import { MILLI_EPSILON_PER_EPSILON, type MilliEpsilon } from './epsilon.units.js';
import { toUnits, vectorSensitivityUnits, type FixedPoint } from './fixed-point.codec.js';
import type { RandomSource } from './random-source.js';
import { ceilRational, divRational, rational, roundHalfUpRational, type Rational } from './rational.js';

/**
 * The fine grid is chosen so that its rounding overhead (the ceiling and the d - 1 boundary crossings) adds
 * less than 1/FINE_GRID_OVERHEAD_DIVISOR to the noise scale of an ideal, unrounded Δ/ε mechanism.
 */
export const FINE_GRID_OVERHEAD_DIVISOR = 1000n;

/**
 * How a vector release is noised; everything here depends only on public inputs except `centres`.
 *
 * The mechanism (for d values v_i, real L1 sensitivity Δ, output resolution r, budget ε):
 * 1. round each value to a fine grid r/m: c_i = round(v_i · m / r);
 * 2. add independent discrete Laplace noise of scale L/ε to each c_i, where L = ceil(m·Δ/r) + d - 1;
 * 3. round each noised fine value to the output grid: k_i = round((c_i + Y_i) / m), released as k_i · r.
 *
 * Proof sketch: by `vectorSensitivityUnits`, L bounds ||c - c'||₁ for neighbouring inputs whatever the
 * rounding does, and independent discrete Laplace noise of scale L/ε on an integer vector of L1 sensitivity
 * L is ε-DP (P[c + Y = z] / P[c' + Y = z] = e^{(ε/L)(|z - c'|₁ - |z - c|₁)} <= e^{ε}). Step 3 is
 * post-processing, which never increases privacy loss. So the release is ε-DP for every dimension d.
 *
 * Why a fine grid: noising in output units directly would need scale (ceil(Δ/r) + d - 1)/ε, i.e. noise
 * growing with d and a wasted ceiling. With m the least power of ten >= 1000·d·r/Δ the scale in output units
 * is L/(m·ε) < (Δ/r + d/m)/ε <= (Δ/r)(1 + 1/1000)/ε: within 0.1% of the unrounded ideal, for any d. Step 3's
 * rounding adds at most half an output unit of error, which the caller asked for by choosing r.
 */
export interface NoiseCalibration {
  /** Output resolution r. */
  readonly resolution: Rational;
  /** m: fine units per output unit, a power of ten. */
  readonly finePerUnit: bigint;
  /** c_i = round(v_i · m / r), one per value. */
  readonly centres: readonly bigint[];
  /** L = ceil(m·Δ/r) + d - 1: the L1 sensitivity of `centres` in fine units. */
  readonly sensitivityFineUnits: bigint;
  /** Discrete Laplace scale L/ε in fine units, as t/s in lowest terms (sampleDiscreteLaplace's arguments). */
  readonly scale: Rational;
  /** ε in milli-units that the release is calibrated to. */
  readonly milliEpsilon: MilliEpsilon;
}

/**
 * Calibrates the release of `values` (exact decimals) at resolution `fp`.
 * Preconditions: `values` non-empty, `sensitivity` > 0 bounds the L1 change of the whole vector when one row
 * is added or removed, `milliEpsilon` a positive safe integer. Throws RangeError otherwise.
 */
export function calibrateNoise(
  fp: FixedPoint,
  values: readonly DecimalInput[],
  sensitivity: DecimalInput,
  milliEpsilon: MilliEpsilon,
): NoiseCalibration {
  if (values.length === 0) throw new RangeError('values must be non-empty');
  if (!Number.isSafeInteger(milliEpsilon) || milliEpsilon <= 0) {
    throw new RangeError(`milliEpsilon must be a positive integer, got ${milliEpsilon}`);
  }
  const delta = parseDecimal(sensitivity);
  if (delta.num <= 0n) throw new RangeError('sensitivity must be positive');
  // m = the least power of ten >= 1000·d / (Δ/r), so that (d - 1 + ceiling waste) / m < (Δ/r) / 1000; a
  // power of ten keeps the fine grid r/m a decimal.
  const deltaUnits = divRational(delta, fp.resolution);
  const wanted = ceilRational(
    rational(FINE_GRID_OVERHEAD_DIVISOR * BigInt(values.length) * deltaUnits.den, deltaUnits.num),
  );
  let finePerUnit = 1n;
  while (finePerUnit < wanted) finePerUnit *= 10n;
  const fine: FixedPoint = { resolution: divRational(fp.resolution, rational(finePerUnit)) };
  const sensitivityFineUnits = vectorSensitivityUnits(fine, sensitivity, values.length);
  return {
    resolution: fp.resolution,
    finePerUnit,
    centres: values.map((value) => toUnits(fine, value)),
    sensitivityFineUnits,
    // L/ε = L·1000/milliε.
    scale: rational(sensitivityFineUnits * BigInt(MILLI_EPSILON_PER_EPSILON), BigInt(milliEpsilon)),
    milliEpsilon,
  };
}

/** Step 3: a noised fine value written in output units, round(z / m) half up. */
export function fineToOutputUnits(calibration: NoiseCalibration, fineValue: bigint): bigint {
  return roundHalfUpRational(rational(fineValue, calibration.finePerUnit));
}

/** Draws one release: output units k_i per value (steps 2 and 3). */
export function sampleCalibratedRelease(calibration: NoiseCalibration, random: RandomSource): bigint[] {
  const { num: t, den: s } = calibration.scale;
  return calibration.centres.map((centre) =>
    fineToOutputUnits(calibration, centre + sampleDiscreteLaplace(t, s, random)),
  );
}
