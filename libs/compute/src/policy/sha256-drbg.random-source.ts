import { createHash } from 'node:crypto';
import { assertBitCount, bitsFromBytes, uniformBelow, type RandomSource } from './random-source.js';

/**
 * A deterministic counter-mode SHA-256 generator: block i = SHA-256(seed ‖ i as 8-byte big-endian).
 * FOR TESTS AND REPLAYS ONLY: anyone who knows the seed knows every draw, which voids the DP guarantee.
 * Precondition: `seed` is a non-empty string.
 */
export function createSha256DrbgRandomSource(seed: string): RandomSource {
  if (seed.length === 0) throw new RangeError('sha256 drbg: empty seed');
  const seedBytes = Buffer.from(seed, 'utf8');
  const counterBytes = Buffer.alloc(8);
  let counter = 0n;
  let block: Buffer = Buffer.alloc(0);
  let offset = 0;

  const nextByte = (): number => {
    if (offset === block.length) {
      counterBytes.writeBigUInt64BE(counter++);
      block = createHash('sha256').update(seedBytes).update(counterBytes).digest();
      offset = 0;
    }
    return block[offset++];
  };

  const randomBits = (bits: number): bigint => {
    assertBitCount(bits);
    if (bits === 0) return 0n;
    const byteCount = Math.ceil(bits / 8);
    const excess = byteCount * 8 - bits;
    if (byteCount <= 6) {
      // Fast path without bigint shifts: at most 48 bits fit exactly in a double.
      let n = 0;
      for (let i = 0; i < byteCount; i++) n = n * 256 + nextByte();
      return BigInt(Math.floor(n / 2 ** excess));
    }
    const bytes = new Uint8Array(byteCount);
    for (let i = 0; i < byteCount; i++) bytes[i] = nextByte();
    return bitsFromBytes(bytes, bits);
  };

  return { randomBits, randomInt: (maxExclusive: bigint) => uniformBelow(randomBits, maxExclusive) };
}
