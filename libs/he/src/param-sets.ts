/** Named encryption parameter sets, all at 128-bit security (SEAL's HomomorphicEncryption.org tables). */
export type Scheme = 'ckks' | 'bfv';

export interface ParamSet {
  readonly id: ParamSetId;
  readonly scheme: Scheme;
  readonly polyModulusDegree: number;
  /** Bit sizes of the coefficient-modulus primes; the last one is the key-switching (special) prime. */
  readonly coeffModulusBits: readonly number[];
  /** BFV only: bit size of the batching plaintext modulus t. */
  readonly plainModulusBits?: number;
  /** CKKS only: encoding scale as a power of two. */
  readonly scaleBits?: number;
  /** Values packed per ciphertext. */
  readonly slots: number;
  /** Multiplicative levels available after a fresh encryption (CKKS rescales, BFV noise budget). */
  readonly depth: number;
  /**
   * Largest magnitude an aggregate may reach at each depth and still decrypt correctly (|v| < 2^bits).
   * Index = number of multiplications (plaintext or ciphertext) on the path to the result.
   */
  readonly capacityBits: readonly number[];
}

export type ParamSetId = 'ckks-8192-d1' | 'ckks-8192-d2' | 'bfv-8192-t50';

export const PARAM_SETS: Readonly<Record<ParamSetId, ParamSet>> = {
  // Three data primes: a seeded ciphertext is one 8192×3 polynomial (≈197 kB raw, ≈165 kB zstd) for 4096 reals.
  // One rescale leaves 60+40 bits over a 2^40 scale, so depth-1 aggregates keep ~2^58 headroom;
  // a second level leaves only the 60-bit prime (2^18 headroom), hence the separate d2 set.
  'ckks-8192-d1': {
    id: 'ckks-8192-d1',
    scheme: 'ckks',
    polyModulusDegree: 8192,
    coeffModulusBits: [60, 40, 40, 60],
    scaleBits: 40,
    slots: 4096,
    depth: 2,
    capacityBits: [98, 58, 18],
  },
  // Four data primes at a 2^30 scale: depth 2 (a public filter mask and a product) with 2^58 headroom.
  'ckks-8192-d2': {
    id: 'ckks-8192-d2',
    scheme: 'ckks',
    polyModulusDegree: 8192,
    coeffModulusBits: [60, 30, 30, 30, 60],
    scaleBits: 30,
    slots: 4096,
    depth: 3,
    capacityBits: [118, 88, 58, 28],
  },
  // t ≈ 2^50: exact integer aggregates up to ±5.6·10^14. Noise allows one multiplication (plain or cipher),
  // followed by sums over many ciphertexts and the slot-sum rotations, not a mask and a product together.
  'bfv-8192-t50': {
    id: 'bfv-8192-t50',
    scheme: 'bfv',
    polyModulusDegree: 8192,
    coeffModulusBits: [60, 60, 38, 60],
    plainModulusBits: 50,
    slots: 8192,
    depth: 1,
    capacityBits: [49, 49],
  },
};

export function getParamSet(id: string): ParamSet {
  if (!Object.hasOwn(PARAM_SETS, id)) throw new Error(`unknown parameter set: ${id}`);
  return PARAM_SETS[id as ParamSetId];
}
