import { Logger } from '@nestjs/common';
import type { JobCatalogue } from './job-catalogue.js';
import {
  JOB_ATTEMPTS,
  JobQueue,
  JobRegistry,
  PermanentJobError,
  backoffMs,
  type QueueHealth,
} from './job-queue.js';

/**
 * The single-node default: the same handlers run in this process, one at a time per job, retried with backoff
 * (a lazily registered handler is imported at the first job).
 * Job ids seen are remembered for the process lifetime, so a duplicate enqueue is a no-op.
 */
export class InProcessJobQueue<C extends object = JobCatalogue> extends JobQueue<C> {
  private readonly logger = new Logger('jobs');
  private readonly seen = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;
  /** While held, enqueued jobs wait here instead of running (see `hold`). */
  private held: (() => void)[] | null = null;

  constructor(private readonly registry: JobRegistry<C>) {
    super();
  }

  async enqueue<N extends keyof C & string>(name: N, payload: C[N], jobId: string): Promise<void> {
    this.registry.checkPayload(name, payload);
    const handler = this.registry.handlerFor(name);
    if (this.closed) throw new Error('job queue is closed');
    if (this.seen.has(jobId)) return;
    this.seen.add(jobId);
    const run = (async () => {
      const held = this.held;
      if (held) await new Promise<void>((resolve) => held.push(resolve));
      for (let attempt = 1; attempt <= JOB_ATTEMPTS && !this.closed; attempt++) {
        try {
          await handler(payload);
          return;
        } catch (error) {
          const final = error instanceof PermanentJobError || attempt === JOB_ATTEMPTS;
          this.logger.warn(
            `job ${name} ${jobId} attempt ${attempt} failed${final ? ' for good' : ''}: ${(error as Error).message}`,
          );
          if (final) return;
          await new Promise((r) => setTimeout(r, backoffMs(attempt)));
        }
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  async health(): Promise<QueueHealth> {
    return { mode: 'in-process', ok: !this.closed };
  }

  /** Lets running jobs finish: a graceful shutdown loses no work that was started. */
  async close(): Promise<void> {
    this.closed = true;
    this.resume();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Keeps jobs enqueued from now on waiting until `resume` (a test that moves a computation through its states by
   * hand holds the queue, as a Redis queue without a consumer would).
   */
  hold(): void {
    this.held ??= [];
  }

  resume(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const release of held) release();
  }

  /** Resolves when every job enqueued so far has finished (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
