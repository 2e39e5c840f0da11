import type { Encryptor, Plaintext, PublicKey, SecretKey } from 'node-seal';
import { toBlob, type CiphertextBlob } from './ciphertext-blob.js';
import { createHeContext, type HeContext } from './he-context.js';
import type { SecretKeyMaterial } from './key-generation.js';

/**
 * SECRET. Seeded symmetric encryption of packed slot vectors under one key set: a serialised
 * ciphertext carries a PRNG seed instead of its second polynomial, halving its size.
 */
export class ColumnEncryptor {
  private constructor(
    readonly he: HeContext,
    private readonly sk: SecretKey,
    private readonly pk: PublicKey,
    private readonly encryptor: Encryptor,
    private readonly plain: Plaintext,
  ) {}

  static async open(keys: SecretKeyMaterial): Promise<ColumnEncryptor> {
    const he = await createHeContext(keys.paramSet);
    const { seal } = he;
    const sk = new seal.SecretKey();
    const pk = new seal.PublicKey();
    try {
      sk.loadFromArray(he.context, keys.secretKey);
      pk.loadFromArray(he.context, keys.publicKey);
      return new ColumnEncryptor(he, sk, pk, new seal.Encryptor(he.context, pk, sk), new seal.Plaintext());
    } catch (err) {
      sk.delete();
      pk.delete();
      he.dispose();
      throw err;
    }
  }

  get slots(): number {
    return this.he.params.slots;
  }

  /**
   * Encrypts up to `slots` values (CKKS: reals at the set's scale; BFV: safe integers, |v| < t/2);
   * missing slots are zero. Returns the zstd-serialised seeded ciphertext and its SHA-256.
   */
  encrypt(values: ArrayLike<number>): CiphertextBlob {
    const n = this.slots;
    if (values.length > n) throw new Error(`at most ${n} values per ciphertext`);
    const { he } = this;
    if (he.ckks) {
      let v: Float64Array;
      if (values instanceof Float64Array && values.length === n)
        v = values; // a full buffer: no copy
      else {
        v = new Float64Array(n);
        v.set(values);
      }
      he.ckks.encode(v, he.scale, this.plain);
    } else {
      const v = new BigInt64Array(n);
      for (let i = 0; i < values.length; i++) v[i] = BigInt(values[i]);
      he.batch!.encode(v, this.plain);
    }
    const ser = this.encryptor.encryptSymmetricSerializable(this.plain);
    try {
      return toBlob(ser.saveToArray(he.seal.ComprModeType.zstd) as Uint8Array);
    } finally {
      ser.delete();
    }
  }

  dispose(): void {
    this.plain.delete();
    this.encryptor.delete();
    this.pk.delete();
    this.sk.delete();
    this.he.dispose();
  }
}
