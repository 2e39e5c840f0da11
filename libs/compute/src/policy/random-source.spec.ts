import { createCryptoRandomSource } from './crypto.random-source.js';
import { bitLength, type RandomSource } from './random-source.js';
import { createSha256DrbgRandomSource } from './sha256-drbg.random-source.js';
import { chiSquareTest } from './testing/chi-square.stat.js';

const sources: [string, () => RandomSource][] = [
  ['sha256 drbg', () => createSha256DrbgRandomSource('random-source-spec')],
  ['node:crypto', () => createCryptoRandomSource()],
];

describe.each(sources)('%s', (_name, make) => {
  it('draws randomInt within range, including beyond 2^48', () => {
    const random = make();
    for (const max of [1n, 2n, 7n, 2n ** 48n, 2n ** 48n + 1n, 10n ** 30n]) {
      for (let i = 0; i < 200; i++) {
        const x = random.randomInt(max);
        expect(x >= 0n && x < max).toBe(true);
      }
    }
  });

  it('draws randomBits within range', () => {
    const random = make();
    for (const bits of [0, 1, 7, 8, 9, 48, 49, 130]) {
      for (let i = 0; i < 100; i++) expect(bitLength(random.randomBits(bits))).toBeLessThanOrEqual(bits);
    }
  });

  it('reaches the top bits of wide draws', () => {
    const random = make();
    const draws = Array.from({ length: 64 }, () => random.randomBits(130));
    expect(draws.some((x) => bitLength(x) === 130)).toBe(true);
  });

  it('rejects invalid arguments', () => {
    const random = make();
    expect(() => random.randomInt(0n)).toThrow(RangeError);
    expect(() => random.randomBits(-1)).toThrow(RangeError);
  });
});

describe('sha256 drbg', () => {
  it('is uniform over 10 values (60k draws, chi-square p > 0.001)', () => {
    const random = createSha256DrbgRandomSource('uniform-10');
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 60_000; i++) counts[Number(random.randomInt(10n))]++;
    expect(chiSquareTest(counts, new Array<number>(10).fill(0.1)).pValue).toBeGreaterThan(0.001);
  });

  it('replays the same stream for the same seed only', () => {
    const a = createSha256DrbgRandomSource('seed');
    const b = createSha256DrbgRandomSource('seed');
    const c = createSha256DrbgRandomSource('seed2');
    const sa = Array.from({ length: 20 }, () => a.randomBits(64));
    expect(Array.from({ length: 20 }, () => b.randomBits(64))).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.randomBits(64))).not.toEqual(sa);
  });

  it('rejects an empty seed', () => {
    expect(() => createSha256DrbgRandomSource('')).toThrow(RangeError);
  });
});
