import { createCryptoRandomSource } from './crypto.random-source.js';
import { sampleDiscreteLaplace } from './discrete-laplace.sampler.js';
import { createSha256DrbgRandomSource } from './sha256-drbg.random-source.js';
import { chiSquareTest } from './testing/chi-square.stat.js';

// Significance for all goodness-of-fit checks: the sampler fails if p <= 0.001.
const ALPHA = 0.001;
// Moment checks: the empirical mean and variance must lie within 5 standard errors of the exact values.
const SE_TOLERANCE = 5;

/** Exact-law helpers for Lap_Z(b): P[Y = y] = (1 - q)/(1 + q) · q^|y| with q = e^{-1/b}. */
function laplaceLaw(scale: number) {
  const q = Math.exp(-1 / scale);
  const pmf = (y: number): number => ((1 - q) / (1 + q)) * q ** Math.abs(y);
  const tail = (limit: number): number => q ** (limit + 1) / (1 + q); // P[Y > limit]
  const variance = (2 * q) / (1 - q) ** 2;
  let fourthMoment = 0;
  for (let y = 1; pmf(y) > 1e-18; y++) fourthMoment += 2 * pmf(y) * y ** 4;
  return { pmf, tail, variance, fourthMoment };
}

const drawn = new Map<string, number[]>();

/** Draws (memoised per arguments, so several checks share one expensive sample). */
function draw(t: bigint, s: bigint, n: number, seed: string): number[] {
  const key = `${t}/${s}/${n}/${seed}`;
  const cached = drawn.get(key);
  if (cached) return cached;
  const samples = drawFresh(t, s, n, seed);
  drawn.set(key, samples);
  return samples;
}

function drawFresh(t: bigint, s: bigint, n: number, seed: string): number[] {
  const random = createSha256DrbgRandomSource(seed);
  return Array.from({ length: n }, () => Number(sampleDiscreteLaplace(t, s, random)));
}

/** Bins -L..L plus two pooled tails, L chosen so every expected count is at least 5. */
function binnedFit(samples: readonly number[], scale: number) {
  const law = laplaceLaw(scale);
  const n = samples.length;
  let limit = 0;
  while (n * law.tail(limit + 1) >= 5) limit++;
  const observed = new Array<number>(2 * limit + 3).fill(0);
  for (const y of samples) observed[Math.max(-limit - 1, Math.min(limit + 1, y)) + limit + 1]++;
  const probabilities = observed.map((_, i) => {
    const y = i - limit - 1;
    return Math.abs(y) === limit + 1 ? law.tail(limit) : law.pmf(y);
  });
  return chiSquareTest(observed, probabilities);
}

describe('sampleDiscreteLaplace (seeded SHA-256 DRBG)', () => {
  const cases: [bigint, bigint, number][] = [
    [3n, 1n, 200_000],
    [7n, 2n, 100_000], // non-integer scale 3.5 exercises floor(X / s)
    [1n, 4n, 50_000], // scale 1/4: mostly zeros
  ];

  it.each(cases)('scale %i/%i: %i draws fit the exact pmf (chi-square p > 0.001)', (t, s, n) => {
    const scale = Number(t) / Number(s);
    const fit = binnedFit(draw(t, s, n, `dlap-${t}/${s}`), scale);
    expect(fit.degreesOfFreedom).toBeGreaterThan(0);
    expect(fit.pValue).toBeGreaterThan(ALPHA);
  });

  it.each(cases)(
    'scale %i/%i: mean and variance lie within 5 standard errors of 0 and 2q/(1-q)^2',
    (t, s, n) => {
      const law = laplaceLaw(Number(t) / Number(s));
      const samples = draw(t, s, n, `dlap-${t}/${s}`);
      const mean = samples.reduce((a, b) => a + b, 0) / n;
      const variance = samples.reduce((a, y) => a + (y - mean) ** 2, 0) / (n - 1);
      expect(Math.abs(mean)).toBeLessThan(SE_TOLERANCE * Math.sqrt(law.variance / n));
      const varianceSe = Math.sqrt((law.fourthMoment - law.variance ** 2) / n);
      expect(Math.abs(variance - law.variance)).toBeLessThan(SE_TOLERANCE * varianceSe);
    },
  );

  it('the same fit rejects a 10% wrong scale (so the test can fail)', () => {
    expect(binnedFit(draw(3n, 1n, 200_000, 'dlap-3/1'), 3.3).pValue).toBeLessThan(ALPHA);
  });

  it('is deterministic for a fixed seed and differs across seeds', () => {
    expect(drawFresh(5n, 1n, 50, 'same')).toEqual(drawFresh(5n, 1n, 50, 'same'));
    expect(drawFresh(5n, 1n, 50, 'same')).not.toEqual(drawFresh(5n, 1n, 50, 'other'));
  });

  it('rejects non-positive parameters', () => {
    const random = createSha256DrbgRandomSource('dlap-params');
    expect(() => sampleDiscreteLaplace(0n, 1n, random)).toThrow(RangeError);
    expect(() => sampleDiscreteLaplace(1n, 0n, random)).toThrow(RangeError);
  });
});

describe('sampleDiscreteLaplace (node:crypto)', () => {
  it('produces integers of both signs with a plausible spread', () => {
    const random = createCryptoRandomSource();
    const samples = Array.from({ length: 2000 }, () => sampleDiscreteLaplace(10n, 1n, random));
    expect(samples.every((y) => typeof y === 'bigint')).toBe(true);
    expect(samples.some((y) => y > 0n)).toBe(true);
    expect(samples.some((y) => y < 0n)).toBe(true);
    // Variance of Lap_Z(10) is about 200; a 2000-draw mean beyond ±2 is a ~6-sigma event.
    const mean = samples.reduce((a, b) => a + Number(b), 0) / samples.length;
    expect(Math.abs(mean)).toBeLessThan(2);
  });

  it('handles a huge scale whose uniform draws exceed crypto.randomInt range', () => {
    const random = createCryptoRandomSource();
    const y = sampleDiscreteLaplace(2n ** 80n, 3n, random);
    expect(typeof y).toBe('bigint');
  });
});
