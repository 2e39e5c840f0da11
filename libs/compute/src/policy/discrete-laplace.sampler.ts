import { sampleBernoulliExp } from './bernoulli.sampler.js';
import type { RandomSource } from './random-source.js';
import { rational } from './rational.js';

/**
 * Exact discrete Laplace (two-sided geometric) sample with scale `t/s`:
 * P[Y = y] = (e^{s/t} - 1)/(e^{s/t} + 1) · e^{-|y|·s/t} for every integer y
 * (Canonne, Kamath & Steinke 2020, Algorithm 2), using only integer arithmetic and uniform draws.
 *
 * Privacy: adding Y to an integer-valued query of L1 sensitivity Δ gives (Δ·s/t)-differential privacy.
 * Preconditions: `t` and `s` are positive integers.
 */
export function sampleDiscreteLaplace(t: bigint, s: bigint, random: RandomSource): bigint {
  if (t < 1n || s < 1n) throw new RangeError(`discreteLaplace: t and s must be positive, got t=${t}, s=${s}`);
  const one = rational(1n);
  for (;;) {
    // X = U + t·V is geometric with success e^{-1/t}, split into a uniform part and an exponential part.
    const u = random.randomInt(t);
    if (!sampleBernoulliExp(rational(u, t), random)) continue;
    let v = 0n;
    while (sampleBernoulliExp(one, random)) v++;
    const magnitude = (u + t * v) / s;
    const negative = random.randomInt(2n) === 1n;
    // Rejecting "-0" keeps zero from being counted twice.
    if (negative && magnitude === 0n) continue;
    return negative ? -magnitude : magnitude;
  }
}
