import type { GaloisKeys, SEALContext } from 'node-seal';
import type { Seal } from '../../libs/he/src/evaluation.js';

/**
 * The ceiling: the same slot sum written directly against node-seal, with identical parameters and
 * keys, no hashing, validation or abstraction. Returns [load+add+rotate+save ms, add+rotate ms].
 */
export function bareSum(
  seal: Seal,
  context: SEALContext,
  galois: GaloisKeys,
  chunks: readonly Uint8Array[],
): [number, number] {
  const t0 = performance.now();
  const cts = chunks.map((bytes) => {
    const c = new seal.Ciphertext();
    c.loadFromArray(context, bytes);
    return c;
  });
  const evaluator = new seal.Evaluator(context);
  const t1 = performance.now();
  const acc = cts[0].copy();
  for (let i = 1; i < cts.length; i++) evaluator.addInplace(acc, cts[i]);
  const tmp = new seal.Ciphertext();
  for (let s = 1; s < 4096; s *= 2) {
    evaluator.rotateVector(acc, s, galois, tmp);
    evaluator.addInplace(acc, tmp);
  }
  const t2 = performance.now();
  const out = acc.saveToArray(seal.ComprModeType.zstd) as Uint8Array;
  const t3 = performance.now();
  if (out.length === 0) throw new Error('empty output');
  for (const c of cts) c.delete();
  for (const o of [acc, tmp, evaluator]) o.delete();
  return [t3 - t0 - (t2 - t1) + (t2 - t1), t2 - t1];
}
