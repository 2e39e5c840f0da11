import type { ColumnSpec, ParamSetId } from '@app/he/evaluation';
import type { JobResult } from '../job-result.js';

/**
 * A job as the sandbox worker hands it to an evaluator: ciphertexts and evaluation keys by SHA-256 (the evaluator
 * loads them through `load`, checks every hash, and may keep them loaded for the next job), the filters already
 * folded into a 0/1 mask over the rows.
 */
export interface EngineJob {
  readonly recipe: string;
  readonly params?: unknown;
  readonly bindings: Readonly<Record<string, string | readonly string[]>>;
  readonly rows: number;
  readonly columns: Readonly<
    Record<
      string,
      { readonly spec: ColumnSpec; readonly paramSet: ParamSetId; readonly ciphertexts: readonly string[] }
    >
  >;
  /** One 0/1 per row (1 = the row is aggregated); undefined aggregates every row. */
  readonly mask?: Float64Array;
  readonly keys: readonly {
    readonly paramSet: ParamSetId;
    readonly relinKeys: string;
    readonly galoisKeys: string;
  }[];
}

/** Where the time of one evaluation went. */
export interface EngineTimings {
  /** Reading blobs and loading ciphertexts into SEAL (0 when every chunk was already loaded). */
  readonly loadMs: number;
  readonly computeMs: number;
  readonly loadedChunks: number;
  readonly cachedChunks: number;
}

/** Reads one blob by SHA-256; rejects when it is missing. The evaluator checks the hash of what it gets. */
export type BlobLoader = (sha256: string) => Promise<Uint8Array>;

/**
 * What the worker evaluates with. Rejects with `SandboxError` (names as `runRecipe`: JobRejected, IntegrityError,
 * RecipeError, CapacityError, Timeout, WorkerCrashed; plus MissingBlob when `load` fails).
 */
export interface Evaluator {
  evaluate(job: EngineJob): Promise<{ readonly result: JobResult; readonly timings: EngineTimings }>;
  /** Resolves once the evaluator could take a job at once (its threads booted): a worker waits for it first. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
