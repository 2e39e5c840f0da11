import type { Ciphertext, GaloisKeys, Plaintext, RelinKeys } from 'node-seal';
import { toBlob, type CiphertextBlob } from './ciphertext-blob.js';
import { slotSumSteps } from './galois-steps.js';
import { createHeContext, type HeContext } from './he-context.js';
import type { ParamSetId } from './param-sets.js';
import type { WasmScope } from './wasm-scope.js';

/** The evaluation keys of one parameter set, as serialised by the data holder. */
export interface EvaluationKeyBytes {
  readonly paramSet: ParamSetId;
  readonly relinKeys: Uint8Array;
  readonly galoisKeys: Uint8Array;
}

/** CPU time of the calling thread in ms (`process.threadCpuUsage`, Node ≥ 23.9), else 0. */
function threadCpuMs(): number {
  const u = process.threadCpuUsage?.();
  return u ? (u.user + u.system) / 1000 : 0;
}

/**
 * Evaluation with public material only: a context, relinearisation keys and the slot-sum Galois keys.
 * It cannot decrypt; it never sees a secret key.
 */
export class EvaluationSession {
  /**
   * Ciphertexts deserialised (zstd and seed expansion) since the session opened, and the wall-clock and
   * this thread's CPU time spent on it (CPU time is 0 where the runtime cannot measure it).
   */
  readonly stats = { loads: 0, loadMs: 0, loadCpuMs: 0 };

  private constructor(
    readonly he: HeContext,
    private readonly relin: RelinKeys,
    private readonly galois: GaloisKeys,
  ) {}

  /** Loads the keys; throws if they are not valid for the parameter set (e.g. a key of another kind). */
  static async open(keys: EvaluationKeyBytes): Promise<EvaluationSession> {
    const he = await createHeContext(keys.paramSet);
    const relin = new he.seal.RelinKeys();
    const galois = new he.seal.GaloisKeys();
    try {
      relin.loadFromArray(he.context, keys.relinKeys);
      galois.loadFromArray(he.context, keys.galoisKeys);
      const elts = slotSumSteps(he.params);
      if (galois.size() < elts.length) throw new Error('Galois keys do not cover the slot-sum steps');
      return new EvaluationSession(he, relin, galois);
    } catch (err) {
      relin.delete();
      galois.delete();
      he.dispose();
      throw err;
    }
  }

  get slots(): number {
    return this.he.params.slots;
  }

  /** Deserialises a ciphertext whose hash the caller has already verified. */
  load(blob: CiphertextBlob, scope: WasmScope): Ciphertext {
    return this.loadInto(blob, scope.track(new this.he.seal.Ciphertext()));
  }

  /** Deserialises a verified ciphertext into `ct`, reusing its memory. */
  loadInto(blob: CiphertextBlob, ct: Ciphertext): Ciphertext {
    const t = performance.now();
    const c = threadCpuMs();
    ct.loadFromArray(this.he.context, blob.bytes);
    this.stats.loadMs += performance.now() - t;
    this.stats.loadCpuMs += threadCpuMs() - c;
    this.stats.loads++;
    return ct;
  }

  /**
   * Encodes a plaintext slot vector for multiplying `like`: CKKS at its level and the set's scale;
   * BFV as integers (values must be safe integers).
   */
  encodeFor(values: ArrayLike<number>, like: Ciphertext, scope: WasmScope): Plaintext {
    return this.encodeInto(values, like, scope.track(new this.he.seal.Plaintext()));
  }

  /** `encodeFor` into an existing plaintext; a full-length Float64Array is encoded without a copy. */
  encodeInto(values: ArrayLike<number>, like: Ciphertext, pt: Plaintext): Plaintext {
    const { ckks, batch, scale } = this.he;
    const n = this.slots;
    if (ckks) {
      let v: Float64Array;
      if (values instanceof Float64Array && values.length === n) v = values;
      else {
        v = new Float64Array(n);
        v.set(values);
      }
      const parms = like.parmsId();
      try {
        ckks.encode(v, scale, pt);
        this.he.evaluator.plainModSwitchToInplace(pt, parms);
      } finally {
        parms.delete();
      }
    } else {
      const v = new BigInt64Array(n);
      for (let i = 0; i < values.length; i++) v[i] = BigInt(values[i]);
      batch!.encode(v, pt);
    }
    return pt;
  }

  /** ct ⊙ pt into a new ciphertext; CKKS results are rescaled when `rescale` is set. */
  multiplyPlain(ct: Ciphertext, pt: Plaintext, scope: WasmScope, rescale = false): Ciphertext {
    const out = scope.track(new this.he.seal.Ciphertext());
    this.he.evaluator.multiplyPlain(ct, pt, out);
    if (rescale && this.he.ckks) this.he.evaluator.rescaleToNextInplace(out);
    return out;
  }

  /** a ⊙ b (size-3, not relinearised, not rescaled); the higher-level operand is mod-switched down first. */
  multiply(a: Ciphertext, b: Ciphertext, scope: WasmScope): Ciphertext {
    const { seal } = this.he;
    const out = scope.track(new seal.Ciphertext());
    const scratch = a.coeffModulusSize() !== b.coeffModulusSize() ? scope.track(new seal.Ciphertext()) : out;
    return this.multiplyInto(a, b, out, scratch);
  }

  /** `multiply` into `out`; `scratch` receives the mod-switched operand when the levels differ. */
  multiplyInto(a: Ciphertext, b: Ciphertext, out: Ciphertext, scratch: Ciphertext): Ciphertext {
    const { evaluator } = this.he;
    let x = a;
    let y = b;
    if (a.coeffModulusSize() !== b.coeffModulusSize()) {
      const [hi, lo] = a.coeffModulusSize() > b.coeffModulusSize() ? [a, b] : [b, a];
      const parms = lo.parmsId();
      try {
        evaluator.cipherModSwitchTo(hi, parms, scratch);
      } finally {
        parms.delete();
      }
      [x, y] = hi === a ? [scratch, b] : [a, scratch];
    }
    if (x === y) evaluator.square(x, out);
    else evaluator.multiply(x, y, out);
    return out;
  }

  /** Relinearises a size-3 product back to size 2 (and rescales it, for CKKS). */
  relinearizeInplace(ct: Ciphertext): void {
    this.he.evaluator.relinearizeInplace(ct, this.relin);
    if (this.he.ckks) this.he.evaluator.rescaleToNextInplace(ct);
  }

  addInplace(acc: Ciphertext, ct: Ciphertext): void {
    this.he.evaluator.addInplace(acc, ct);
  }

  /**
   * Finishes an accumulated aggregate in place: relinearise a size-3 ciphertext, rescale a CKKS
   * ciphertext still at squared scale, then rotate-and-add so every slot holds the total.
   */
  finalize(acc: Ciphertext, scope: WasmScope): void {
    const { seal, evaluator, ckks, scale } = this.he;
    if (acc.size() > 2) evaluator.relinearizeInplace(acc, this.relin);
    if (ckks && acc.scale() > scale * 2 ** 10) evaluator.rescaleToNextInplace(acc);
    const tmp = scope.track(new seal.Ciphertext());
    for (const step of slotSumSteps(this.he.params)) {
      if (ckks) evaluator.rotateVector(acc, step, this.galois, tmp);
      else if (step === 0) evaluator.rotateColumns(acc, this.galois, tmp);
      else evaluator.rotateRows(acc, step, this.galois, tmp);
      evaluator.addInplace(acc, tmp);
    }
    scope.free(tmp);
  }

  /** zstd-serialises a ciphertext with its SHA-256. */
  save(ct: Ciphertext): CiphertextBlob {
    return toBlob(ct.saveToArray(this.he.seal.ComprModeType.zstd) as Uint8Array);
  }

  dispose(): void {
    this.galois.delete();
    this.relin.delete();
    this.he.dispose();
  }
}
