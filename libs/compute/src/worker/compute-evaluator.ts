// The sandbox is a sibling of the libs (as in `libs/catalog/src/listing-recipes.ts`); only its secret-free engine.
import { ComputeEngine } from '../../../../sandbox/index.js';
import type { BlobLoader, Evaluator } from '../../../../sandbox/engine/engine-job.js';

export type { Evaluator };

export interface EvaluatorOptions {
  /** Bytes of ciphertexts an evaluator may keep loaded between jobs (`COMPUTE_CACHE_BYTES`). */
  readonly cacheBytes: number;
  /** Evaluation threads (`COMPUTE_THREADS`); 0 or absent = every core the process may use. */
  readonly threads?: number;
}

/**
 * The one place the worker's evaluator is made: the engine, with its long-lived evaluation threads (one per core
 * the process may use) and their LRU of loaded ciphertexts, so a second job on the same data skips the load.
 */
export function createComputeEvaluator(load: BlobLoader, options: EvaluatorOptions): Evaluator {
  return new ComputeEngine({ load, cacheBytes: options.cacheBytes, threads: options.threads || undefined });
}
