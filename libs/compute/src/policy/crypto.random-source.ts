import { randomBytes, randomInt } from 'node:crypto';
import { assertBitCount, bitsFromBytes, uniformBelow, type RandomSource } from './random-source.js';

// crypto.randomInt requires max < 2^48; wider ranges fall back to rejection sampling over randomBytes.
const CRYPTO_RANDOM_INT_LIMIT = 2n ** 48n;

/**
 * The production randomness source: node:crypto's CSPRNG. Uniform draws are exact (node's randomInt and
 * our rejection sampler both reject rather than reduce modulo), which the exact DP samplers rely on.
 */
export function createCryptoRandomSource(): RandomSource {
  const randomBits = (bits: number): bigint => {
    assertBitCount(bits);
    if (bits === 0) return 0n;
    return bitsFromBytes(randomBytes(Math.ceil(bits / 8)), bits);
  };
  return {
    randomBits,
    randomInt(maxExclusive: bigint): bigint {
      if (maxExclusive >= 1n && maxExclusive < CRYPTO_RANDOM_INT_LIMIT) {
        return maxExclusive === 1n ? 0n : BigInt(randomInt(Number(maxExclusive)));
      }
      return uniformBelow(randomBits, maxExclusive);
    },
  };
}
