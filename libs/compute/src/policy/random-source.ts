/**
 * The only source of randomness the output policy uses. Production code uses `createCryptoRandomSource()`
 * (node:crypto); tests inject a seeded deterministic source so statistical checks are reproducible.
 */
export interface RandomSource {
  /** A uniform integer in `[0, maxExclusive)`. Precondition: `maxExclusive >= 1n`. */
  randomInt(maxExclusive: bigint): bigint;
  /** A uniform integer in `[0, 2^bits)`. Precondition: `bits` is a non-negative safe integer. */
  randomBits(bits: number): bigint;
}

export function bitLength(n: bigint): number {
  return n <= 0n ? 0 : n.toString(2).length;
}

/**
 * Exactly uniform integer in `[0, maxExclusive)` by rejection sampling over `bitLength(maxExclusive - 1)` bits:
 * each try succeeds with probability > 1/2, and no modulo bias is introduced.
 */
export function uniformBelow(randomBits: (bits: number) => bigint, maxExclusive: bigint): bigint {
  if (maxExclusive < 1n) throw new RangeError(`randomInt: maxExclusive must be >= 1, got ${maxExclusive}`);
  const bits = bitLength(maxExclusive - 1n);
  for (;;) {
    const candidate = randomBits(bits);
    if (candidate < maxExclusive) return candidate;
  }
}

/** Reads `bits` bits (big-endian, excess high bits masked off) from `bytes`, which must hold ceil(bits/8). */
export function bitsFromBytes(bytes: Uint8Array, bits: number): bigint {
  let value = 0n;
  if (bits <= 48) {
    let n = 0;
    for (const byte of bytes) n = n * 256 + byte;
    value = BigInt(n);
  } else {
    for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  }
  const excess = BigInt(bytes.length * 8 - bits);
  return value >> excess;
}

export function assertBitCount(bits: number): void {
  if (!Number.isSafeInteger(bits) || bits < 0) throw new RangeError(`randomBits: invalid bit count ${bits}`);
}
