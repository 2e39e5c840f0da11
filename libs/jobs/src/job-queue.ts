/** A job handler; it must be idempotent per job id, and throws PermanentJobError when retrying cannot help. */
export type JobHandler = (payload: unknown) => Promise<void>;

export class PermanentJobError extends Error {}

export interface QueueHealth {
  mode: 'in-process' | 'redis';
  ok: boolean;
  detail?: string;
}

/**
 * Where work goes after a commit. A job id is derived from what the job is about, so enqueueing the same work twice
 * (a retried request, a replayed commit hook) runs it once.
 */
export abstract class JobQueue {
  abstract enqueue(name: string, payload: unknown, jobId: string): Promise<void>;
  abstract health(): Promise<QueueHealth>;
  abstract close(): Promise<void>;
}

/** Handlers by job name, filled by the modules that own the jobs before the queue starts. */
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register(name: string, handler: JobHandler): void {
    if (this.handlers.has(name)) throw new Error(`job ${name} has two handlers`);
    this.handlers.set(name, handler);
  }

  /** Throws for a job nobody handles: an unknown name is a programming error, found at the first enqueue. */
  handlerFor(name: string): JobHandler {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler registered for job ${name}`);
    return handler;
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }
}

/**
 * The deterministic id of the job that does `name` for `subject` (e.g. the evaluation of one computation): the same
 * work always gets the same id, so a replayed enqueue is a no-op. BullMQ refuses ':' in custom ids.
 */
export const jobIdFor = (name: string, subject: string): string => `${name}@${subject}`.replaceAll(':', '_');

export const JOB_ATTEMPTS = 5;
export const backoffMs = (attempt: number): number => Math.min(30_000, 200 * 2 ** (attempt - 1));
