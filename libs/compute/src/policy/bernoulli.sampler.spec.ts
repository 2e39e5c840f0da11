import { sampleBernoulli, sampleBernoulliExp } from './bernoulli.sampler.js';
import type { RandomSource } from './random-source.js';
import { rational, type Rational } from './rational.js';
import { createSha256DrbgRandomSource } from './sha256-drbg.random-source.js';
import { chiSquareTest } from './testing/chi-square.stat.js';

// Significance for all goodness-of-fit checks: the sampler fails if p <= 0.001.
const ALPHA = 0.001;
const N = 200_000;

function frequency(draw: () => boolean, n: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) if (draw()) hits++;
  return hits;
}

function exhaustedSource(): RandomSource {
  const fail = (): never => {
    throw new Error('no randomness expected');
  };
  return { randomInt: fail, randomBits: fail };
}

describe('sampleBernoulli', () => {
  it('returns the certain outcomes without drawing', () => {
    expect(sampleBernoulli(rational(0n), exhaustedSource())).toBe(false);
    expect(sampleBernoulli(rational(1n), exhaustedSource())).toBe(true);
  });

  it('rejects p outside [0, 1]', () => {
    const random = createSha256DrbgRandomSource('bernoulli-range');
    expect(() => sampleBernoulli(rational(3n, 2n), random)).toThrow(RangeError);
    expect(() => sampleBernoulli(rational(-1n, 2n), random)).toThrow(RangeError);
  });

  it('hits 2/7 at the right rate (chi-square, p > 0.001)', () => {
    const random = createSha256DrbgRandomSource('bernoulli-2/7');
    const hits = frequency(() => sampleBernoulli(rational(2n, 7n), random), N);
    expect(chiSquareTest([hits, N - hits], [2 / 7, 5 / 7]).pValue).toBeGreaterThan(ALPHA);
  });
});

describe('sampleBernoulliExp', () => {
  it('is certain for gamma = 0 and rejects negative gamma', () => {
    const random = createSha256DrbgRandomSource('bexp-edge');
    expect(frequency(() => sampleBernoulliExp(rational(0n), random), 1000)).toBe(1000);
    expect(() => sampleBernoulliExp(rational(-1n, 3n), random)).toThrow(RangeError);
  });

  // gamma <= 1 uses the alternating-series loop; gamma > 1 also exercises the integer-part decomposition.
  const cases: [string, Rational][] = [
    ['1/3', rational(1n, 3n)],
    ['1', rational(1n)],
    ['5/2', rational(5n, 2n)],
    ['7/3', rational(7n, 3n)],
  ];
  it.each(cases)(
    'gamma = %s: 200k draws fit exp(-gamma) (chi-square p > 0.001, |rate - exp(-gamma)| < 5 standard errors)',
    (label, gamma) => {
      const random = createSha256DrbgRandomSource(`bexp-${label}`);
      const p = Math.exp(-Number(gamma.num) / Number(gamma.den));
      const hits = frequency(() => sampleBernoulliExp(gamma, random), N);
      expect(chiSquareTest([hits, N - hits], [p, 1 - p]).pValue).toBeGreaterThan(ALPHA);
      expect(Math.abs(hits / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    },
  );

  it('the same test detects a 5% error in gamma (so it can fail)', () => {
    const random = createSha256DrbgRandomSource('bexp-1/3');
    const hits = frequency(() => sampleBernoulliExp(rational(1n, 3n), random), N);
    const wrong = Math.exp(-(1 / 3) * 1.05);
    expect(chiSquareTest([hits, N - hits], [wrong, 1 - wrong]).pValue).toBeLessThan(ALPHA);
  });
});
