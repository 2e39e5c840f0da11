import { Worker } from 'node:worker_threads';
import { parseJob, type JobPayload } from './job-schema.js';
import type { JobResult } from './job-result.js';

export interface RunLimits {
  /** Wall-clock limit; the worker is terminated when it passes. Default 120 s. */
  readonly timeoutMs?: number;
  /** V8 heap limit of the worker (WebAssembly memory is outside it; SEAL's module caps at 4 GiB). Default 512 MB. */
  readonly maxOldGenerationSizeMb?: number;
  /** Boot a spare worker for the next job once this one ends (default true). */
  readonly spare?: boolean;
}

export class SandboxError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

// Under a TypeScript loader (tests, benchmarks) the worker is the .ts sibling, loaded with the same loader; from the
// build (dist/) it is the compiled .js sibling and needs no loader.
const RUNNING_TS = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(RUNNING_TS ? './runner-worker.ts' : './runner-worker.js', import.meta.url);

/** How long an unused spare worker is kept before it is terminated. */
const SPARE_IDLE_MS = 15_000;

interface Spare {
  readonly worker: Worker;
  readonly maxOldGenerationSizeMb: number;
  readonly idle: NodeJS.Timeout;
  dead: boolean;
}

/**
 * At most one spare: a fresh worker that has booted (TypeScript loader, modules, node-seal) but has
 * received nothing. Each job still gets a worker of its own, used once and terminated; the spare only
 * moves the boot out of the job's latency. It does not keep the process alive.
 */
let spare: Spare | undefined;

function spawnWorker(maxOldGenerationSizeMb: number): Worker {
  return new Worker(WORKER_URL, {
    execArgv: RUNNING_TS ? ['--import', '@swc-node/register/esm-register'] : [],
    env: {},
    argv: [],
    stdout: false,
    stderr: false,
    resourceLimits: { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 64 },
  });
}

function dropSpare(s: Spare): Promise<unknown> {
  if (spare === s) spare = undefined;
  if (s.dead) return Promise.resolve();
  s.dead = true;
  clearTimeout(s.idle);
  return s.worker.terminate();
}

function prepareSpare(maxOldGenerationSizeMb: number): void {
  if (spare) void dropSpare(spare);
  const worker = spawnWorker(maxOldGenerationSizeMb);
  worker.unref();
  const s: Spare = {
    worker,
    maxOldGenerationSizeMb,
    idle: setTimeout(() => void dropSpare(s), SPARE_IDLE_MS).unref(),
    dead: false,
  };
  // A spare that fails while idle is discarded; the next job boots its own worker.
  worker.once('error', () => void dropSpare(s));
  worker.once('exit', () => {
    s.dead = true;
    if (spare === s) spare = undefined;
  });
  spare = s;
}

/** Terminates the idle spare worker, if any (e.g. at shutdown or the end of a test file). */
export async function releaseSpareWorker(): Promise<void> {
  if (spare) await dropSpare(spare);
}

/** Takes the spare if it fits the limits and is alive, else boots a worker. */
function takeWorker(maxOldGenerationSizeMb: number): Worker {
  const s = spare;
  if (s && !s.dead && s.maxOldGenerationSizeMb === maxOldGenerationSizeMb) {
    spare = undefined;
    clearTimeout(s.idle);
    s.worker.removeAllListeners();
    s.worker.ref();
    return s.worker;
  }
  return spawnWorker(maxOldGenerationSizeMb);
}

/**
 * Runs one recipe job in a fresh worker thread with memory and time limits and an empty environment
 * (no passphrase or key path can leak in). The worker runs the compiled module (or, from source, @swc-node/register) and
 * is used for this job only, then terminated. Unless `limits.spare` is false, a spare worker is then
 * booted for the next job (the boot takes ~0.5–2 s, more than most jobs). The time limit runs from
 * the moment the job is posted, so it still covers any boot the worker has not finished.
 * Resolves with the encrypted result; rejects with SandboxError (JobRejected, IntegrityError,
 * CapacityError, RecipeError, Timeout, WorkerCrashed…) otherwise.
 */
export async function runRecipe(job: JobPayload, limits: RunLimits = {}): Promise<JobResult> {
  parseJob(job);
  const timeoutMs = limits.timeoutMs ?? 120_000;
  const maxOld = limits.maxOldGenerationSizeMb ?? 512;
  const worker = takeWorker(maxOld);
  return new Promise<JobResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
      // Boot the next job's worker now, not during this job: two boots at once would slow this one.
      if (limits.spare !== false && spare?.maxOldGenerationSizeMb !== maxOld) prepareSpare(maxOld);
    };
    const timer = setTimeout(
      () => settle(() => reject(new SandboxError('Timeout', `recipe exceeded ${timeoutMs} ms`))),
      timeoutMs,
    );
    worker.once(
      'message',
      (msg: { ok: true; result: JobResult } | { ok: false; error: { name: string; message: string } }) =>
        settle(() =>
          msg.ok ? resolve(msg.result) : reject(new SandboxError(msg.error.name, msg.error.message)),
        ),
    );
    worker.once('error', (err: Error) =>
      settle(() => reject(new SandboxError('WorkerCrashed', err.message))),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new SandboxError('WorkerCrashed', `worker exited with code ${code}`))),
    );
    worker.postMessage(job);
  });
}
