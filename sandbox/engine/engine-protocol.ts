import type { AggregateTerm, CiphertextBlob, ParamSetId } from '@app/he/evaluation';

/**
 * One thread's share of a job: a contiguous range of every term column's chunks (by SHA-256), the matching slices of
 * the mask and of the weights, and the bytes of every chunk or key the thread does not hold loaded (the engine mirrors
 * each thread's cache, so it sends exactly those; every byte sent has had its SHA-256 checked).
 */
export interface ShareRequest {
  readonly type: 'share';
  readonly job: number;
  readonly paramSet: ParamSetId;
  /** Evaluation keys by their blob hashes; bytes only when the thread has no session for them. */
  readonly keys: {
    readonly id: string;
    readonly relinKeys?: Uint8Array;
    readonly galoisKeys?: Uint8Array;
  };
  readonly terms: Readonly<Record<string, AggregateTerm>>;
  /** Column → the SHA-256 of each chunk of this share, in row order. */
  readonly chunks: Readonly<Record<string, readonly string[]>>;
  readonly bytes: Readonly<Record<string, Uint8Array>>;
  readonly mask?: Float64Array;
  /**
   * final: finish the aggregates and answer them; partial: answer the unfinished accumulators serialised;
   * keep: hold them for a `combine` that brings the other threads' partials.
   */
  readonly mode: 'final' | 'partial' | 'keep';
}

export interface CombineRequest {
  readonly type: 'combine';
  readonly job: number;
  /** Term → the other threads' serialised partial accumulators. */
  readonly partials: Readonly<Record<string, readonly Uint8Array[]>>;
}

export interface StatsRequest {
  readonly type: 'stats';
  readonly job: number;
}

export type EngineRequest = ShareRequest | CombineRequest | StatsRequest;

/** What a thread holds: loaded ciphertexts (count, bytes), what its cache deleted, and open key sessions. */
export interface ThreadStats {
  readonly entries: number;
  readonly bytes: number;
  readonly budget: number;
  readonly deleted: number;
  readonly sessions: number;
}

export interface ShareTimings {
  /** Deserialising ciphertexts and keys into SEAL. */
  readonly loadMs: number;
  /** Everything else the thread did for the share (homomorphic work, serialisation). */
  readonly computeMs: number;
  readonly loadedChunks: number;
  readonly cachedChunks: number;
}

/** Cache changes since the previous reply, so the engine's mirror of the thread's cache stays exact. */
export interface CacheChanges {
  readonly added?: readonly string[];
  readonly evicted?: readonly string[];
  readonly sessionsAdded?: readonly string[];
  readonly sessionsEvicted?: readonly string[];
}

export type EngineReply =
  | (CacheChanges & {
      readonly ok: true;
      readonly job: number;
      readonly outputs?: Readonly<Record<string, CiphertextBlob>>;
      readonly partials?: Readonly<Record<string, Uint8Array>>;
      readonly timings?: ShareTimings;
      readonly stats?: ThreadStats;
    })
  | (CacheChanges & {
      readonly ok: false;
      readonly job: number;
      readonly error: { readonly name: string; readonly message: string };
    });
