import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkResult } from './export-entry-check.js';
import type { ChunkJob } from './export-worker.js';
import type { HashAlgorithm } from './hash-algorithm.js';

/** A worker's answer for one chunk: the result and the chunk's bytes, handed back. */
export interface ChunkAnswer {
  bytes: Uint8Array;
  result: ChunkResult;
}

interface WireAnswer extends ChunkJob {
  result: Omit<ChunkResult, 'hashes'> & { hashes: { buffer: ArrayBuffer; length: number } };
}

interface Pending {
  resolve: (answer: ChunkAnswer) => void;
  reject: (error: Error) => void;
}

// Workers run this module's sibling. Under a TypeScript loader (tests, benchmarks, `npm start`) it
// is the .ts source, loaded with the same loader; compiled, it is the .js next to this file.
const RUNNING_TS = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(RUNNING_TS ? './export-worker.ts' : './export-worker.js', import.meta.url);

/** Default pool size: every available core, at least 2. */
export function defaultExportWorkers(): number {
  return Math.max(2, availableParallelism());
}

/**
 * Worker threads that verify newline-aligned chunks of a ledger export (entry checks and leaf
 * hashes, the bulk of the work). `verifyExport` starts one per large export; a long-running
 * process can start one and pass it in (`verifyExport(..., { pool })`) to skip the start-up cost.
 */
export class ExportWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken: Error | undefined;
  /** Resolves once every worker has loaded; rejects when one cannot start. */
  readonly ready: Promise<void>;

  constructor(size: number = defaultExportWorkers()) {
    const started: Promise<void>[] = [];
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(WORKER_URL, {
        execArgv: RUNNING_TS ? ['--import', '@swc-node/register/esm-register'] : [],
        stdout: false,
        stderr: false,
      });
      this.workers.push(worker);
      this.load.push(0);
      started.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', (message) =>
            message === 'ready' ? resolve() : reject(new Error('export worker did not start')),
          );
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`export worker exited with code ${code}`)));
        }).then(() => {
          worker.on('message', (answer: WireAnswer) => this.answered(i, answer));
        }),
      );
      worker.on('error', (error: Error) => this.fail(error));
      worker.on('exit', (code) => this.fail(new Error(`export worker exited with code ${code}`)));
    }
    this.ready = Promise.all(started).then(() => undefined);
    this.ready.catch(() => undefined);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Verifies `bytes` (newline-aligned; its buffer is transferred to a worker and handed back in the answer). */
  verify(bytes: Uint8Array, hashAlgorithm: HashAlgorithm): Promise<ChunkAnswer> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    let target = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.load[i] < this.load[target]) target = i;
    this.load[target] += 1;
    const job: ChunkJob = {
      id,
      buffer: bytes.buffer as ArrayBuffer,
      start: bytes.byteOffset,
      end: bytes.byteOffset + bytes.byteLength,
      hashAlgorithm,
    };
    return new Promise<ChunkAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[target].postMessage(job, [job.buffer]);
    });
  }

  /** Stops the workers; answers still pending are rejected. */
  async close(): Promise<void> {
    this.fail(new Error('export worker pool closed'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private answered(worker: number, answer: WireAnswer): void {
    this.load[worker] -= 1;
    const pending = this.pending.get(answer.id);
    if (!pending) return;
    this.pending.delete(answer.id);
    const { hashes, ...rest } = answer.result;
    pending.resolve({
      bytes: new Uint8Array(answer.buffer, answer.start, answer.end - answer.start),
      result: { ...rest, hashes: new Uint8Array(hashes.buffer, 0, hashes.length) },
    });
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const pending of this.pending.values()) pending.reject(this.broken);
    this.pending.clear();
  }
}
