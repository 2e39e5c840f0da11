import { createHash } from 'node:crypto';
import type { GaloisKeys, SEALContext } from 'node-seal';
import type { Seal } from '@app/he/evaluation';

/** Wall-clock and this thread's CPU time, ms. */
export interface Clock {
  wall: number;
  cpu: number;
}

export function now(): Clock {
  const u = process.threadCpuUsage();
  return { wall: performance.now(), cpu: (u.user + u.system) / 1000 };
}

export function since(t: Clock): Clock {
  const n = now();
  return { wall: n.wall - t.wall, cpu: n.cpu - t.cpu };
}

export interface BareTimes {
  /** Deserialising every ciphertext (zstd + seed expansion). */
  load: Clock;
  /** Adding them, then the 12 rotate-and-adds of the slot sum. */
  compute: Clock;
  /** Serialising the result. */
  save: Clock;
  total: Clock;
}

/**
 * The ceiling: the same slot sum written directly against node-seal, with identical parameters and
 * keys, no hashing, validation or abstraction.
 */
export function bareSum(
  seal: Seal,
  context: SEALContext,
  galois: GaloisKeys,
  chunks: readonly Uint8Array[],
): BareTimes {
  const t0 = now();
  const cts = chunks.map((bytes) => {
    const c = new seal.Ciphertext();
    c.loadFromArray(context, bytes);
    return c;
  });
  const evaluator = new seal.Evaluator(context);
  const load = since(t0);
  const t1 = now();
  const acc = cts[0].copy();
  for (let i = 1; i < cts.length; i++) evaluator.addInplace(acc, cts[i]);
  const tmp = new seal.Ciphertext();
  for (let s = 1; s < 4096; s *= 2) {
    evaluator.rotateVector(acc, s, galois, tmp);
    evaluator.addInplace(acc, tmp);
  }
  const compute = since(t1);
  const t2 = now();
  const out = acc.saveToArray(seal.ComprModeType.zstd) as Uint8Array;
  const save = since(t2);
  if (out.length === 0) throw new Error('empty output');
  for (const c of cts) c.delete();
  for (const o of [acc, tmp, evaluator]) o.delete();
  return { load, compute, save, total: since(t0) };
}

/**
 * The encryption floor: SEAL's own work for `values` already parsed into memory — per 4096 values one
 * CKKS encode, one seeded symmetric encryption, zstd serialisation and a SHA-256 — written directly
 * against node-seal with the same keys. Returns the bytes produced.
 */
export function bareEncrypt(
  seal: Seal,
  context: SEALContext,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  scale: number,
  values: Float64Array,
): number {
  const encoder = new seal.CKKSEncoder(context);
  const sk = new seal.SecretKey();
  const pk = new seal.PublicKey();
  sk.loadFromArray(context, secretKey);
  pk.loadFromArray(context, publicKey);
  const encryptor = new seal.Encryptor(context, pk, sk);
  const plain = new seal.Plaintext();
  const slots = encoder.slotCount();
  const buf = new Float64Array(slots);
  let bytes = 0;
  for (let at = 0; at < values.length; at += slots) {
    buf.fill(0);
    buf.set(values.subarray(at, at + slots));
    encoder.encode(buf, scale, plain);
    const ser = encryptor.encryptSymmetricSerializable(plain);
    const out = ser.saveToArray(seal.ComprModeType.zstd) as Uint8Array;
    ser.delete();
    createHash('sha256').update(out).digest('hex');
    bytes += out.length;
  }
  for (const o of [plain, encryptor, pk, sk, encoder]) o.delete();
  return bytes;
}
