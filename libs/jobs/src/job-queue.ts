import { JOB_PARSERS, type CatalogueParsers, type JobCatalogue } from './job-catalogue.js';

export { PermanentJobError } from './job-errors.js';

/**
 * What a handler may report of the job it ran (e.g. where its time went); the BullMQ consumer logs it as fields of
 * the job's log line. Numbers and short strings only.
 */
export type JobReport = Readonly<Record<string, number | string>>;

/** A job handler; it must be idempotent per job id, and throws PermanentJobError when retrying cannot help. */
export type JobHandler<P = unknown> = (payload: P) => Promise<JobReport | void>;

/** Imports a handler on first use, so that a process registers jobs without loading their code until one runs. */
export type JobLoader<P = unknown> = () => Promise<JobHandler<P>>;

export interface QueueHealth {
  mode: 'in-process' | 'redis';
  ok: boolean;
  detail?: string;
}

/**
 * Where work goes after a commit. A job id is derived from what the job is about, so enqueueing the same work twice
 * (a retried request, a replayed commit hook) runs it once. Producers need no handler: the API on Redis enqueues
 * jobs only the sandbox worker handles. `C` is the catalogue (tests use one of their own).
 */
export abstract class JobQueue<C extends object = JobCatalogue> {
  abstract enqueue<N extends keyof C & string>(name: N, payload: C[N], jobId: string): Promise<void>;
  abstract health(): Promise<QueueHealth>;
  abstract close(): Promise<void>;
}

/**
 * Handlers by job name, filled by the modules that own the jobs before the queue starts. Every payload is parsed
 * with the catalogue's parser: by the producer before it is enqueued, and again as it comes off the queue (a bad
 * one there is a permanent failure, never retried).
 */
export class JobRegistry<C extends object = JobCatalogue> {
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly loaders = new Map<string, JobLoader<never>>();

  constructor(readonly parsers: CatalogueParsers<C> = JOB_PARSERS as unknown as CatalogueParsers<C>) {}

  /** The catalogue's names. */
  catalogue(): string[] {
    return Object.keys(this.parsers);
  }

  register<N extends keyof C & string>(name: N, handler: JobHandler<C[N]>): void {
    this.claim(name);
    this.handlers.set(name, handler);
  }

  /** Registers a handler that `load` imports on the first job of that name (and once only). */
  registerLazy<N extends keyof C & string>(name: N, load: JobLoader<C[N]>): void {
    this.claim(name);
    this.loaders.set(name, load);
  }

  private claim(name: string): void {
    if (!Object.hasOwn(this.parsers, name)) throw new Error(`job ${name} is not in the job catalogue`);
    if (this.has(name)) throw new Error(`job ${name} has two handlers`);
  }

  has(name: string): boolean {
    return this.handlers.has(name) || this.loaders.has(name);
  }

  /** Throws unless `name` is in the catalogue and `payload` is what it takes (a producer's programming error). */
  checkPayload(name: string, payload: unknown): void {
    const parse = Object.hasOwn(this.parsers, name)
      ? (this.parsers as Record<string, (raw: unknown) => unknown>)[name]
      : undefined;
    if (!parse) throw new Error(`job ${name} is not in the job catalogue`);
    try {
      parse(payload);
    } catch (error) {
      throw new Error(`job ${name}: bad payload: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * The handler of `name` as a consumer runs it: parses the raw payload first (`PermanentJobError` when it does not
   * parse), loading a lazy handler on first use. Throws for a job nobody handles: an unknown name is a programming
   * error, found at the first enqueue (in-process) or when the consumer starts (`missing`).
   */
  handlerFor(name: string): (raw: unknown) => Promise<JobReport | void> {
    if (!this.has(name)) throw new Error(`no handler registered for job ${name}`);
    const parse = (this.parsers as Record<string, (raw: unknown) => unknown>)[name];
    return async (raw) => {
      const payload = parse(raw) as never;
      return (await this.resolve(name))(payload);
    };
  }

  private async resolve(name: string): Promise<JobHandler<never>> {
    const ready = this.handlers.get(name);
    if (ready) return ready;
    const load = this.loaders.get(name)!;
    // One import however many jobs arrive before it finishes: the promise is kept, the loader dropped.
    const loading = load().then(
      (handler) => {
        this.handlers.set(name, handler);
        this.loaders.delete(name);
        return handler;
      },
      (error: unknown) => {
        this.loaders.set(name, load);
        throw error;
      },
    );
    this.loaders.set(name, () => loading);
    return loading;
  }

  /** Names with a handler (loaded or lazy). */
  names(): string[] {
    return [...new Set([...this.handlers.keys(), ...this.loaders.keys()])];
  }

  /** Catalogue names nobody handles here: a consumer refuses to start while this is not empty. */
  missing(): string[] {
    return this.catalogue().filter((name) => !this.has(name));
  }
}

/**
 * The deterministic id of the job that does `name` for `subject` (e.g. the evaluation of one computation): the same
 * work always gets the same id, so a replayed enqueue is a no-op. BullMQ refuses ':' in custom ids.
 */
export const jobIdFor = (name: string, subject: string): string => `${name}@${subject}`.replaceAll(':', '_');

export const JOB_ATTEMPTS = 5;
export const backoffMs = (attempt: number): number => Math.min(30_000, 200 * 2 ** (attempt - 1));
