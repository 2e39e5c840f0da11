import type { BatchEncoder, CKKSEncoder, Evaluator, SEALContext } from 'node-seal';
import { getParamSet, type ParamSet } from './param-sets.js';
import { loadSeal, type Seal } from './seal-runtime.js';

/** A SEAL context for one parameter set with its evaluator and encoder; call `dispose()` when done. */
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

/** Builds the context for a named parameter set; throws if SEAL rejects it at 128-bit security. */
export async function createHeContext(paramSetId: string): Promise<HeContext> {
  const seal = await loadSeal();
  const params = getParamSet(paramSetId);
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
        ckks?.delete();
        batch?.delete();
        evaluator.delete();
        context.delete();
      },
    };
  } finally {
    plain?.delete();
    primes.delete();
    parms.delete();
  }
}
