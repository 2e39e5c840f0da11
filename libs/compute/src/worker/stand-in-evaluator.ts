import { getParamSet, sha256Hex } from '@app/he/evaluation';
// The sandbox is a sibling of the libs (as in `libs/catalog/src/listing-recipes.ts`); only its secret-free runner.
import { releaseSpareWorker, runRecipe, SandboxError, type JobPayload } from '../../../../sandbox/index.js';
import type { BlobLoader, EngineJob, Evaluator } from '../../../../sandbox/engine/engine-job.js';

/** The name of the public column the stand-in passes the folded mask in (the runner takes one filter). */
const MASK_COLUMN = '#mask';

/**
 * The evaluator until the engine (`sandbox/engine`, with its dataset cache) lands: loads every blob of the job,
 * builds a `JobPayload` with the mask as one public column and runs it through the isolated runner.
 */
class RunnerEvaluator implements Evaluator {
  constructor(private readonly load: BlobLoader) {}

  private async blob(sha256: string): Promise<{ bytes: Uint8Array; sha256: string }> {
    let bytes: Uint8Array;
    try {
      bytes = await this.load(sha256);
    } catch (error) {
      const damaged = (error as Error).name === 'IntegrityError';
      throw new SandboxError(
        damaged ? 'IntegrityError' : 'MissingBlob',
        `blob ${sha256}: ${(error as Error).message}`,
      );
    }
    if (sha256Hex(bytes) !== sha256)
      throw new SandboxError('IntegrityError', `blob ${sha256} does not hash to its name`);
    return { bytes, sha256 };
  }

  async evaluate(job: EngineJob) {
    const started = performance.now();
    const columns: Record<string, JobPayload['columns'][string]> = {};
    let chunks = 0;
    for (const [name, column] of Object.entries(job.columns)) {
      const loaded = [];
      for (const sha256 of column.ciphertexts) loaded.push(await this.blob(sha256));
      chunks += loaded.length;
      columns[name] = {
        spec: column.spec,
        paramSet: column.paramSet,
        rows: job.rows,
        slots: getParamSet(column.paramSet).slots,
        chunks: loaded,
      };
    }
    const keys = [];
    for (const k of job.keys) {
      keys.push({
        paramSet: k.paramSet,
        relinKeys: (await this.blob(k.relinKeys)).bytes,
        galoisKeys: (await this.blob(k.galoisKeys)).bytes,
      });
    }
    const payload: JobPayload = {
      recipe: job.recipe,
      ...(job.params === undefined ? {} : { params: job.params }),
      bindings: job.bindings,
      columns,
      keys,
      ...(job.mask
        ? { publicColumns: { [MASK_COLUMN]: job.mask }, filter: { column: MASK_COLUMN, op: 'eq', value: 1 } }
        : {}),
    };
    const loaded = performance.now();
    const result = await runRecipe(payload);
    return {
      result,
      timings: {
        loadMs: loaded - started,
        computeMs: performance.now() - loaded,
        loadedChunks: chunks,
        cachedChunks: 0,
      },
    };
  }

  async close(): Promise<void> {
    await releaseSpareWorker();
  }
}

export interface EvaluatorOptions {
  /** Bytes of ciphertexts an evaluator may keep loaded between jobs (`COMPUTE_CACHE_BYTES`). */
  readonly cacheBytes: number;
}

/**
 * The one place the worker's evaluator is made. The lead swaps in the engine (`ComputeEngine`) here when it lands;
 * the stand-in ignores `cacheBytes` (it keeps nothing between jobs).
 */
export function createComputeEvaluator(load: BlobLoader, options: EvaluatorOptions): Evaluator {
  void options;
  return new RunnerEvaluator(load);
}
