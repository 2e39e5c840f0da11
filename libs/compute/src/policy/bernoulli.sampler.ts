import type { RandomSource } from './random-source.js';
import { floorRational, rational, type Rational } from './rational.js';

/**
 * Exact Bernoulli(p) for rational `p = num/den`: true iff a uniform draw from `[0, den)` is below `num`.
 * Precondition: 0 <= p <= 1.
 */
export function sampleBernoulli(p: Rational, random: RandomSource): boolean {
  if (p.num < 0n || p.num > p.den)
    throw new RangeError(`bernoulli: p must lie in [0, 1], got ${p.num}/${p.den}`);
  if (p.num === 0n) return false;
  if (p.num === p.den) return true;
  return random.randomInt(p.den) < p.num;
}

/**
 * Exact Bernoulli(exp(-γ)) for rational γ >= 0 (Canonne, Kamath & Steinke 2020, Algorithm 1). No
 * floating-point arithmetic is involved, so the output probability is exactly exp(-γ) given uniform draws.
 */
export function sampleBernoulliExp(gamma: Rational, random: RandomSource): boolean {
  if (gamma.num < 0n) throw new RangeError('bernoulliExp: gamma must be >= 0');
  if (gamma.num <= gamma.den) return bernoulliExpUpToOne(gamma, random);
  // exp(-γ) = exp(-1)^floor(γ) · exp(-(γ - floor(γ))): independent trials, all must succeed.
  const whole = floorRational(gamma);
  const one = rational(1n);
  for (let k = 0n; k < whole; k++) {
    if (!bernoulliExpUpToOne(one, random)) return false;
  }
  return bernoulliExpUpToOne(rational(gamma.num - whole * gamma.den, gamma.den), random);
}

// For γ in [0, 1]: the index K of the first failure in Bernoulli(γ/k) trials is odd with probability exp(-γ).
function bernoulliExpUpToOne(gamma: Rational, random: RandomSource): boolean {
  let k = 1n;
  while (sampleBernoulli(rational(gamma.num, gamma.den * k), random)) k++;
  return k % 2n === 1n;
}
