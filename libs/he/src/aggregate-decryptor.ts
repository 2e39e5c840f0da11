import type { Decryptor, Plaintext, SecretKey } from 'node-seal';
import { assertIntact, type CiphertextBlob } from './ciphertext-blob.js';
import { createHeContext, type HeContext } from './he-context.js';
import type { SecretKeyMaterial } from './key-generation.js';

/** SECRET. Decrypts result ciphertexts on the data holder's side. */
export class AggregateDecryptor {
  private constructor(
    readonly he: HeContext,
    private readonly sk: SecretKey,
    private readonly decryptor: Decryptor,
    private readonly plain: Plaintext,
  ) {}

  static async open(keys: SecretKeyMaterial): Promise<AggregateDecryptor> {
    const he = await createHeContext(keys.paramSet);
    const sk = new he.seal.SecretKey();
    try {
      sk.loadFromArray(he.context, keys.secretKey);
      return new AggregateDecryptor(he, sk, new he.seal.Decryptor(he.context, sk), new he.seal.Plaintext());
    } catch (err) {
      sk.delete();
      he.dispose();
      throw err;
    }
  }

  /**
   * Verifies the blob's SHA-256, decrypts it and returns its first `count` slots
   * (CKKS: approximate reals; BFV: exact integers in (−t/2, t/2]).
   */
  decryptSlots(blob: CiphertextBlob, count: number): number[] {
    assertIntact(blob, 'result');
    const { seal, context } = this.he;
    const ct = new seal.Ciphertext();
    try {
      ct.loadFromArray(context, blob.bytes);
      this.decryptor.decrypt(ct, this.plain);
    } finally {
      ct.delete();
    }
    if (this.he.ckks) {
      const v = this.he.ckks.decodeFloat64(this.plain) as Float64Array;
      return Array.from(v.subarray(0, count));
    }
    const v = this.he.batch!.decodeBigInt64(this.plain) as BigInt64Array;
    return Array.from(v.subarray(0, count), (x) => Number(x));
  }

  /** The aggregate in slot 0 (after a slot sum every slot holds it). */
  decryptAggregate(blob: CiphertextBlob): number {
    return this.decryptSlots(blob, 1)[0];
  }

  dispose(): void {
    this.plain.delete();
    this.decryptor.delete();
    this.sk.delete();
    this.he.dispose();
  }
}

/** SECRET. Decrypts named aggregates, each tagged with its parameter set, using the matching key sets. */
export async function decryptAggregates(
  outputs: Readonly<Record<string, { paramSet: string; blob: CiphertextBlob }>>,
  keys: readonly SecretKeyMaterial[],
): Promise<Record<string, number>> {
  const opened = new Map<string, AggregateDecryptor>();
  try {
    const values: Record<string, number> = {};
    for (const [name, out] of Object.entries(outputs)) {
      let d = opened.get(out.paramSet);
      if (!d) {
        const k = keys.find((x) => x.paramSet === out.paramSet);
        if (!k) throw new Error(`no key set for parameter set ${out.paramSet}`);
        d = await AggregateDecryptor.open(k);
        opened.set(out.paramSet, d);
      }
      values[name] = d.decryptAggregate(out.blob);
    }
    return values;
  } finally {
    for (const d of opened.values()) d.dispose();
  }
}
