import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  getParamSet,
  hashMatches,
  type AggregateTerm,
  type CiphertextBlob,
  type ParamSetId,
} from '@app/he/evaluation';
import { outputSha256Of, planJob, type JobPlan } from '../evaluate-job.js';
import type { JobResult } from '../job-result.js';
import { JobRejected } from '../job-schema.js';
import { SandboxError } from '../runner.js';
import type { BlobLoader, EngineJob, EngineTimings, Evaluator } from './engine-job.js';
import type {
  CacheChanges,
  EngineReply,
  EngineRequest,
  ShareRequest,
  ThreadStats,
} from './engine-protocol.js';

export interface ComputeEngineOptions {
  /** Reads a blob by SHA-256 (ciphertext chunks and evaluation keys); the engine checks the hash of what it gets. */
  readonly load: BlobLoader;
  /** Loaded ciphertexts kept across jobs, in bytes of WebAssembly memory, split evenly between the threads. */
  readonly cacheBytes: number;
  /** Evaluation threads (default: the cores this process may use, at most 16). */
  readonly threads?: number;
  readonly limits?: {
    /** Wall-clock limit of one job; threads still working when it passes are terminated and replaced. Default 120 s. */
    readonly timeoutMs?: number;
    /** V8 heap limit of each thread (WebAssembly memory is outside it). Default 512 MB. */
    readonly maxOldGenerationSizeMb?: number;
  };
}

/** Where a job's time went, with the engine's own parts beside the `EngineTimings` the worker reads. */
export interface ComputeTimings extends EngineTimings {
  /** Reading blobs through `load` and checking their SHA-256 (part of `loadMs`). */
  readonly fetchMs: number;
  /** Threads the job's chunks were split across. */
  readonly threads: number;
}

// As the runner: under a TypeScript loader the thread is the .ts sibling, loaded with the same loader; from the
// build it is the compiled .js sibling.
const RUNNING_TS = import.meta.url.endsWith('.ts');
const THREAD_URL = new URL(RUNNING_TS ? './engine-thread.ts' : './engine-thread.js', import.meta.url);
const HEX64 = /^[0-9a-f]{64}$/;
const FETCH_CONCURRENCY = 8;

class EngineThread {
  readonly worker: Worker;
  /** Mirror of the thread's cache and open key sessions (exact: the thread reports every change). */
  readonly chunks = new Set<string>();
  readonly sessions = new Set<string>();
  dead = false;
  private pending?: { resolve: (r: EngineReply) => void; reject: (e: Error) => void };

  constructor(cacheBytes: number, maxOldGenerationSizeMb: number, onDeath: (t: EngineThread) => void) {
    this.worker = new Worker(THREAD_URL, {
      execArgv: RUNNING_TS ? ['--import', '@swc-node/register/esm-register'] : [],
      env: {},
      argv: [],
      stdout: false,
      stderr: false,
      workerData: { cacheBytes },
      resourceLimits: { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 64 },
    });
    this.worker.unref();
    this.worker.on('message', (reply: EngineReply) => {
      this.apply(reply);
      const p = this.pending;
      this.pending = undefined;
      this.worker.unref();
      p?.resolve(reply);
    });
    const die = (err: SandboxError) => {
      if (this.dead) return;
      this.dead = true;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(err);
      onDeath(this);
    };
    this.worker.on('error', (err: Error) => die(new SandboxError('WorkerCrashed', err.message)));
    this.worker.on('exit', (code) =>
      die(new SandboxError('WorkerCrashed', `evaluation thread exited with code ${code}`)),
    );
  }

  request(msg: EngineRequest): Promise<EngineReply> {
    if (this.dead) return Promise.reject(new SandboxError('WorkerCrashed', 'evaluation thread is gone'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(msg);
    });
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Ends the thread; its pending request rejects with `err`. */
  kill(err: SandboxError): Promise<number> {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
    return this.worker.terminate();
  }

  private apply(c: CacheChanges): void {
    for (const h of c.evicted ?? []) this.chunks.delete(h);
    for (const h of c.added ?? []) this.chunks.add(h);
    for (const id of c.sessionsEvicted ?? []) this.sessions.delete(id);
    for (const id of c.sessionsAdded ?? []) this.sessions.add(id);
  }
}

/**
 * The sandbox worker's evaluator: long-lived evaluation threads (empty environment, heap limit, only
 * `@app/he/evaluation` reachable), each keeping key sessions and a byte-bounded LRU of loaded ciphertexts by chunk
 * SHA-256, so a second job on the same data reads and loads nothing. A job's chunks are split into contiguous ranges,
 * one per thread (the same range of the same data goes to the same thread next time); each thread accumulates its
 * range and the partial aggregates are added into one before the slot sum. Jobs run one at a time.
 * Every blob read is checked against its SHA-256 before any thread sees it; a thread that crashes or times out is
 * replaced (its cache is lost, nothing else).
 */
export class ComputeEngine implements Evaluator {
  private readonly threads: EngineThread[];
  private readonly perThreadBytes: number;
  private readonly timeoutMs: number;
  private readonly maxOld: number;
  private queue: Promise<unknown> = Promise.resolve();
  private jobs = 0;
  private closed = false;

  constructor(private readonly options: ComputeEngineOptions) {
    const n = options.threads ?? Math.min(16, availableParallelism());
    if (!Number.isSafeInteger(n) || n < 1) throw new Error('threads must be a positive integer');
    if (!(options.cacheBytes >= 0)) throw new Error('cacheBytes must be a non-negative number');
    this.perThreadBytes = Math.floor(options.cacheBytes / n);
    this.timeoutMs = options.limits?.timeoutMs ?? 120_000;
    this.maxOld = options.limits?.maxOldGenerationSizeMb ?? 512;
    this.threads = Array.from({ length: n }, () => this.spawn());
  }

  get threadCount(): number {
    return this.threads.length;
  }

  /** Threads running now (0 once closed). */
  get aliveThreads(): number {
    return this.threads.filter((t) => !t.dead).length;
  }

  /** What each thread holds (for tests and operators). */
  async stats(): Promise<ThreadStats[]> {
    return this.serial(() =>
      Promise.all(
        this.threads.map(async (t) => {
          const r = await t.request({ type: 'stats', job: ++this.jobs });
          if (!r.ok || !r.stats) throw new SandboxError('WorkerCrashed', 'no stats');
          return r.stats;
        }),
      ),
    );
  }

  /** One round trip to every thread: they have booted (loader, modules, node-seal) and answer. */
  async ready(): Promise<void> {
    await this.stats();
  }

  evaluate(job: EngineJob): Promise<{ readonly result: JobResult; readonly timings: ComputeTimings }> {
    return this.serial(() => this.run(job));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.kill(new SandboxError('WorkerCrashed', 'engine closed'))));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.closed) throw new SandboxError('WorkerCrashed', 'the engine is closed');
      return fn();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private spawn(): EngineThread {
    return new EngineThread(this.perThreadBytes, this.maxOld, (dead) => {
      const at = this.threads.indexOf(dead);
      if (at >= 0 && !this.closed) this.threads[at] = this.spawn();
    });
  }

  private async run(job: EngineJob): Promise<{ result: JobResult; timings: ComputeTimings }> {
    const t0 = performance.now();
    const deadline = t0 + this.timeoutMs;
    let plan: JobPlan;
    try {
      checkShape(job);
      plan = planJob(
        {
          recipe: job.recipe,
          params: job.params,
          bindings: job.bindings,
          columns: Object.fromEntries(
            Object.entries(job.columns).map(([k, c]) => [
              k,
              { spec: c.spec, paramSet: c.paramSet, rows: job.rows },
            ]),
          ),
        },
        (rows) => checkMask(job.mask, rows),
      );
    } catch (err) {
      throw asSandboxError(err);
    }
    const inputHashes: Record<string, string[]> = {};
    for (const name of plan.used) inputHashes[name] = [...job.columns[name].ciphertexts];

    const outputs: Record<string, { paramSet: ParamSetId; blob: CiphertextBlob }> = {};
    let fetchMs: number;
    let threadLoadMs = 0;
    let loadedChunks = 0;
    let cachedChunks = 0;
    let threadsUsed = 0;
    if (plan.termColumns.size === 0) {
      // Nothing to compute (a count): still refuse a missing or tampered input, as `evaluateJob` does.
      const t = performance.now();
      const cached = new Set(this.threads.flatMap((th) => [...th.chunks]));
      const unseen = [...plan.used].flatMap((c) => job.columns[c].ciphertexts).filter((h) => !cached.has(h));
      await this.within(deadline, [], this.fetch(new Set(unseen), deadline));
      fetchMs = performance.now() - t;
    } else {
      const keys = job.keys.find((k) => k.paramSet === plan.paramSet);
      if (!keys) throw new SandboxError('JobRejected', `no evaluation keys for ${plan.paramSet}`);
      inputHashes['#relinKeys'] = [keys.relinKeys];
      inputHashes['#galoisKeys'] = [keys.galoisKeys];
      const keyId = `${keys.relinKeys}:${keys.galoisKeys}`;

      const slots = getParamSet(plan.paramSet).slots;
      const chunkCount = Math.ceil(plan.rows / slots);
      const shares = Math.min(this.threads.length, chunkCount);
      threadsUsed = shares;
      const threads = this.threads.slice(0, shares);
      const ranges = threads.map((_, k) => [
        Math.floor((k * chunkCount) / shares),
        Math.floor(((k + 1) * chunkCount) / shares),
      ]);
      // What each thread lacks: chunks its cache does not hold, keys it has no session for.
      const lacks = threads.map((th, k) => {
        const [a, b] = ranges[k];
        const hashes = new Set([...plan.termColumns].flatMap((c) => job.columns[c].ciphertexts.slice(a, b)));
        return { chunks: [...hashes].filter((h) => !th.chunks.has(h)), keys: !th.sessions.has(keyId) };
      });
      const wanted = new Set(lacks.flatMap((l) => l.chunks));
      if (lacks.some((l) => l.keys)) wanted.add(keys.relinKeys).add(keys.galoisKeys);
      const t = performance.now();
      const bytes = await this.within(deadline, [], this.fetch(wanted, deadline));
      fetchMs = performance.now() - t;

      const requests: ShareRequest[] = threads.map((_, k) => {
        const [a, b] = ranges[k];
        const l = lacks[k];
        return {
          type: 'share',
          job: ++this.jobs,
          paramSet: plan.paramSet,
          keys: l.keys
            ? { id: keyId, relinKeys: bytes.get(keys.relinKeys)!, galoisKeys: bytes.get(keys.galoisKeys)! }
            : { id: keyId },
          terms: sliceTerms(plan.terms, a * slots, b * slots),
          chunks: Object.fromEntries(
            [...plan.termColumns].map((c) => [c, job.columns[c].ciphertexts.slice(a, b)]),
          ),
          bytes: Object.fromEntries(l.chunks.map((h) => [h, bytes.get(h)!])),
          mask: plan.mask?.slice(a * slots, b * slots),
          mode: shares === 1 ? 'final' : k === 0 ? 'keep' : 'partial',
        };
      });
      bytes.clear();
      const replies = await this.within(
        deadline,
        threads,
        Promise.allSettled(threads.map((th, k) => th.request(requests[k]))),
      );
      const failed = replies.find((r) => r.status === 'rejected' || !r.value.ok);
      if (failed) throw replyError(failed);
      const ok = replies.map((r) => (r as PromiseFulfilledResult<EngineReply & { ok: true }>).value);
      for (const r of ok) {
        threadLoadMs = Math.max(threadLoadMs, r.timings!.loadMs);
        loadedChunks += r.timings!.loadedChunks;
        cachedChunks += r.timings!.cachedChunks;
      }
      let finished = ok[0];
      if (shares > 1) {
        const partials: Record<string, Uint8Array[]> = {};
        for (const r of ok.slice(1))
          for (const [name, p] of Object.entries(r.partials ?? {})) (partials[name] ??= []).push(p);
        const combined = await this.within(
          deadline,
          [threads[0]],
          threads[0].request({ type: 'combine', job: requests[0].job, partials }),
        );
        if (!combined.ok) throw new SandboxError(combined.error.name, combined.error.message);
        finished = combined;
      }
      for (const [name, blob] of Object.entries(finished.outputs ?? {})) {
        outputs[name] = { paramSet: plan.paramSet, blob: { bytes: blob.bytes, sha256: blob.sha256 } };
      }
    }
    const result: JobResult = {
      recipe: plan.recipe.id,
      params: job.params,
      paramSet: plan.paramSet,
      inputHashes,
      outputs,
      clear: plan.clear,
      outputSha256: outputSha256Of(outputs),
    };
    const loadMs = fetchMs + threadLoadMs;
    const timings: ComputeTimings = {
      loadMs,
      computeMs: performance.now() - t0 - loadMs,
      loadedChunks,
      cachedChunks,
      fetchMs,
      threads: threadsUsed,
    };
    return { result, timings };
  }

  /** Awaits `work`; past the deadline, terminates the given threads still busy (they are replaced) and rejects. */
  private async within<T>(deadline: number, threads: readonly EngineThread[], work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          const err = new SandboxError('Timeout', `job exceeded ${this.timeoutMs} ms`);
          for (const th of threads) if (th.busy) void th.kill(err);
          reject(err);
        },
        Math.max(0, deadline - performance.now()),
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Reads every blob in `hashes` (a few at a time) and checks its SHA-256. Rejects with MissingBlob when `load`
   * fails, IntegrityError when bytes do not hash to their name, Timeout past the deadline.
   */
  private async fetch(hashes: ReadonlySet<string>, deadline: number): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    const list = [...hashes];
    let next = 0;
    let failure: SandboxError | undefined;
    const worker = async () => {
      while (next < list.length && !failure) {
        const h = list[next++];
        if (performance.now() > deadline) {
          failure ??= new SandboxError('Timeout', `job exceeded ${this.timeoutMs} ms`);
          return;
        }
        let bytes: Uint8Array;
        try {
          bytes = await this.options.load(h);
        } catch (err) {
          // The blob stores name damaged bytes by code, the worker's loader by the sandbox's error name.
          const damaged =
            (err as { code?: unknown }).code === 'blob_damaged' || (err as Error)?.name === 'IntegrityError';
          failure ??= damaged
            ? new SandboxError('IntegrityError', `blob ${h}: ${(err as Error).message}`)
            : new SandboxError(
                'MissingBlob',
                `blob ${h} could not be read: ${(err as Error)?.message ?? err}`,
              );
          return;
        }
        if (!(bytes instanceof Uint8Array) || !hashMatches(bytes, h)) {
          failure ??= new SandboxError('IntegrityError', `blob ${h}: SHA-256 mismatch, refusing to evaluate`);
          return;
        }
        // A view into a larger buffer would be copied whole to the thread: keep exactly its bytes.
        out.set(h, bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice());
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, list.length) }, worker));
    if (failure) throw failure;
    return out;
  }
}

function asSandboxError(err: unknown): SandboxError {
  if (err instanceof SandboxError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  return new SandboxError(e.name, e.message);
}

function replyError(r: PromiseSettledResult<EngineReply>): SandboxError {
  if (r.status === 'rejected') return asSandboxError(r.reason);
  const v = r.value as EngineReply & { ok: false };
  return new SandboxError(v.error.name, v.error.message);
}

/** The terms with their weights cut to rows [from, to) (the thread indexes its share from 0). */
function sliceTerms(
  terms: Readonly<Record<string, AggregateTerm>>,
  from: number,
  to: number,
): Record<string, AggregateTerm> {
  return Object.fromEntries(
    Object.entries(terms).map(([name, t]): [string, AggregateTerm] => {
      if (t.op !== 'weighted') return [name, t];
      const w = t.weights;
      const slice =
        w instanceof Float64Array
          ? w.slice(from, Math.min(to, w.length))
          : Float64Array.from({ length: Math.max(0, Math.min(to, w.length) - from) }, (_, i) => w[from + i]);
      return [name, { ...t, weights: slice }];
    }),
  );
}

function checkMask(mask: Float64Array | undefined, rows: number): Float64Array | undefined {
  if (mask === undefined) return undefined;
  if (!(mask instanceof Float64Array) || mask.length !== rows)
    throw new JobRejected(`mask must hold one 0/1 per row (${rows})`);
  for (let i = 0; i < mask.length; i++)
    if (mask[i] !== 0 && mask[i] !== 1) throw new JobRejected(`mask[${i}] is neither 0 nor 1`);
  return mask;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** The job's shape: names, hashes and counts (the recipe's own checks follow in `planJob`). */
function checkShape(job: EngineJob): void {
  if (!isRecord(job)) throw new JobRejected('job must be an object');
  if (typeof job.recipe !== 'string') throw new JobRejected('job.recipe must be a string');
  if (!Number.isSafeInteger(job.rows) || job.rows < 0) throw new JobRejected('job.rows must be a row count');
  if (!isRecord(job.bindings)) throw new JobRejected('job.bindings must be an object');
  for (const [role, b] of Object.entries(job.bindings)) {
    const ok =
      typeof b === 'string' || (Array.isArray(b) && b.length > 0 && b.every((x) => typeof x === 'string'));
    if (!ok) throw new JobRejected(`job.bindings.${role}: expected column name(s)`);
  }
  if (!isRecord(job.columns)) throw new JobRejected('job.columns must be an object');
  for (const [name, c] of Object.entries(job.columns)) {
    const where = `job.columns.${name}`;
    if (!isRecord(c) || !isRecord(c.spec) || c.spec.name !== name)
      throw new JobRejected(`${where}: spec must name the column`);
    const slots = paramSlots(c.paramSet, where);
    if (!Array.isArray(c.ciphertexts) || c.ciphertexts.length !== Math.ceil(job.rows / slots))
      throw new JobRejected(`${where}: chunk count does not match rows`);
    if (!c.ciphertexts.every((h) => typeof h === 'string' && HEX64.test(h)))
      throw new JobRejected(`${where}: every chunk is named by its SHA-256 (64 hex digits)`);
  }
  if (!Array.isArray(job.keys)) throw new JobRejected('job.keys must be a list');
  job.keys.forEach((k, i) => {
    if (!isRecord(k)) throw new JobRejected(`job.keys[${i}]: expected an object`);
    paramSlots(k.paramSet, `job.keys[${i}]`);
    if (!HEX64.test(String(k.relinKeys)) || !HEX64.test(String(k.galoisKeys)))
      throw new JobRejected(`job.keys[${i}]: keys are named by their SHA-256`);
  });
}

function paramSlots(id: unknown, where: string): number {
  try {
    return getParamSet(String(id)).slots;
  } catch {
    throw new JobRejected(`${where}: unknown parameter set ${String(id)}`);
  }
}
