import { Worker } from 'node:worker_threads';
import { parseJob, type JobPayload } from './job-schema.js';
import type { JobResult } from './job-result.js';

export interface RunLimits {
  /** Wall-clock limit; the worker is terminated when it passes. Default 120 s. */
  readonly timeoutMs?: number;
  /** V8 heap limit of the worker (WebAssembly memory is outside it; SEAL's module caps at 4 GiB). Default 512 MB. */
  readonly maxOldGenerationSizeMb?: number;
}

export class SandboxError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

const WORKER_URL = new URL('./runner-worker.ts', import.meta.url);

/**
 * Runs one recipe job in a fresh worker thread with memory and time limits and an empty environment
 * (no passphrase or key path can leak in). The worker loads TypeScript through @swc-node/register.
 * Resolves with the encrypted result; rejects with SandboxError (JobRejected, IntegrityError,
 * CapacityError, RecipeError, Timeout, WorkerCrashed…) otherwise.
 */
export async function runRecipe(job: JobPayload, limits: RunLimits = {}): Promise<JobResult> {
  parseJob(job);
  const timeoutMs = limits.timeoutMs ?? 120_000;
  const worker = new Worker(WORKER_URL, {
    execArgv: ['--import', '@swc-node/register/esm-register'],
    env: {},
    argv: [],
    stdout: false,
    stderr: false,
    resourceLimits: {
      maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb ?? 512,
      maxYoungGenerationSizeMb: 64,
    },
  });
  return new Promise<JobResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
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
