import type { BatchEncoder, CKKSEncoder, Evaluator, SEALContext } from 'node-seal';
import { getParamSet, type ParamSet } from './param-sets.js';
import { loadSeal, type Seal } from './seal-runtime.js';

/**
 * A SEAL context for one parameter set with its evaluator and encoder. These hold parameters and
 * precomputed tables only (no key, no data), are stateless, and take ~0.2 s to build, so one per
 * parameter set is built per thread and shared; `dispose()` is kept for callers and does nothing.
 */
export interface HeContext {
  readonly seal: Seal;
  readonly params: ParamSet;
  readonly context: SEALContext;
  readonly evaluator: Evaluator;
  /** Present for CKKS parameter sets. */
  readonly ckks?: CKKSEncoder;
  /** Present for BFV parameter sets. */
  readonly batch?: BatchEncoder;
  /** CKKS encoding scale (2^scaleBits); 1 for BFV. */
  readonly scale: number;
  dispose(): void;
}

const shared = new Map<string, Promise<HeContext>>();

/**
 * The context for a named parameter set (built once per thread, then shared); throws if SEAL rejects
 * the set at 128-bit security.
 */
export async function createHeContext(paramSetId: string): Promise<HeContext> {
  const params = getParamSet(paramSetId);
  let he = shared.get(params.id);
  if (!he) {
    he = buildHeContext(params);
    shared.set(params.id, he);
    he.catch(() => shared.delete(params.id));
  }
  return he;
}

async function buildHeContext(params: ParamSet): Promise<HeContext> {
  const seal = await loadSeal();
  const scheme = params.scheme === 'ckks' ? seal.SchemeType.ckks : seal.SchemeType.bfv;
  const parms = new seal.EncryptionParameters(scheme);
  const primes = seal.CoeffModulus.Create(params.polyModulusDegree, Int32Array.from(params.coeffModulusBits));
  let plain: ReturnType<Seal['PlainModulus']['Batching']> | undefined;
  try {
    parms.setPolyModulusDegree(params.polyModulusDegree);
    parms.setCoeffModulus(primes);
    if (params.scheme === 'bfv') {
      plain = seal.PlainModulus.Batching(params.polyModulusDegree, params.plainModulusBits!);
      parms.setPlainModulus(plain);
    }
    const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
    if (!context.parametersSet()) {
      context.delete();
      throw new Error(`parameter set ${params.id} rejected by SEAL`);
    }
    const evaluator = new seal.Evaluator(context);
    const ckks = params.scheme === 'ckks' ? new seal.CKKSEncoder(context) : undefined;
    const batch = params.scheme === 'bfv' ? new seal.BatchEncoder(context) : undefined;
    const scale = params.scheme === 'ckks' ? 2 ** params.scaleBits! : 1;
    return {
      seal,
      params,
      context,
      evaluator,
      ckks,
      batch,
      scale,
      dispose() {
        // Shared for the thread's lifetime (see HeContext).
      },
    };
  } finally {
    plain?.delete();
    primes.delete();
    parms.delete();
  }
}
