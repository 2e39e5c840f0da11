import { Logger } from '@nestjs/common';
import { Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { JobCatalogue } from './job-catalogue.js';
import {
  JOB_ATTEMPTS,
  JobQueue,
  JobRegistry,
  PermanentJobError,
  type JobReport,
  type QueueHealth,
} from './job-queue.js';

export const QUEUE_NAME = 'exchange';

export interface RedisSettings {
  url: string;
  prefix: string;
}

/** BullMQ's production settings: blocking commands need maxRetriesPerRequest null. */
export function redisConnection(settings: RedisSettings): ConnectionOptions {
  const url = new URL(settings.url);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * Producer side, used by the API: BullMQ refuses a second job with the same id while the first is kept. It needs no
 * handler (the sandbox worker handles the jobs), only the catalogue, which checks the name and the payload.
 */
export class BullMqJobQueue<C extends object = JobCatalogue> extends JobQueue<C> {
  private readonly queue: Queue;

  constructor(
    private readonly registry: JobRegistry<C>,
    settings: RedisSettings,
  ) {
    super();
    this.queue = new Queue(QUEUE_NAME, { connection: redisConnection(settings), prefix: settings.prefix });
    logOutages(this.queue, new Logger('queue'));
  }

  async enqueue<N extends keyof C & string>(name: N, payload: C[N], jobId: string): Promise<void> {
    this.registry.checkPayload(name, payload);
    await this.queue.add(name, payload, {
      jobId,
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 200 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }

  async health(): Promise<QueueHealth> {
    try {
      let timer: NodeJS.Timeout | undefined;
      const [counts, workers] = await Promise.race([
        Promise.all([this.queue.getJobCounts('waiting', 'active', 'failed'), this.queue.getWorkersCount()]),
        new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer in 1 s')), 1000)),
        ),
      ]).finally(() => clearTimeout(timer));
      return { mode: 'redis', ok: true, detail: JSON.stringify({ ...counts, workers }) };
    } catch (error) {
      return { mode: 'redis', ok: false, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface WorkerOptions {
  /** Jobs run at once by this process (the sandbox worker runs 1: one job uses the cores it may). */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (BullMQ renews it at half this while the process lives); a process
   * killed mid-job loses it after this long and another worker's stalled check, every `lockMs`, takes the job over.
   */
  lockMs?: number;
  /** Called after each job that completed, with BullMQ's timings and the handler's report. */
  onCompleted?: (
    job: { name: string; id: string; queueWaitMs: number; totalMs: number },
    report: JobReport,
  ) => void;
}

/** A consumer must handle every job of the catalogue: otherwise it would take jobs off the queue it cannot run. */
export class IncompleteRegistryError extends Error {}

/**
 * Consumer side, run by the sandbox worker (and by tests): the registry's handlers process the queue. Refuses to
 * start unless the registry covers the whole catalogue. Several consumers on one Redis (and prefix) share the queue:
 * each job is locked by the one running it.
 */
export function startBullMqWorker<C extends object = JobCatalogue>(
  registry: JobRegistry<C>,
  settings: RedisSettings,
  options: WorkerOptions = {},
): Worker {
  const missing = registry.missing();
  if (missing.length > 0) {
    throw new IncompleteRegistryError(
      `this worker cannot handle job(s) ${missing.join(', ')} of the catalogue`,
    );
  }
  const logger = new Logger('worker');
  const lockMs = options.lockMs ?? 30_000;
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      try {
        const report = (await registry.handlerFor(job.name)(job.data)) ?? {};
        options.onCompleted?.(
          {
            name: job.name,
            id: job.id ?? '',
            queueWaitMs: Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp),
            totalMs: Date.now() - (job.processedOn ?? Date.now()),
          },
          report,
        );
      } catch (error) {
        if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      connection: redisConnection(settings),
      prefix: settings.prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A takeover after a crash is not a failed attempt; the handler counts its own attempts and gives up.
      maxStalledCount: JOB_ATTEMPTS,
    },
  );
  worker.on('failed', (job, error) => logger.warn(`job ${job?.name} ${job?.id} failed: ${error.message}`));
  logOutages(worker, logger);
  return worker;
}

/**
 * Without an 'error' listener BullMQ prints every failed reconnection to the console, outside the JSON log. One
 * warning per distinct failure is enough: `/health` reports the outage while it lasts.
 */
function logOutages(
  emitter: { on(event: 'error', listener: (error: Error) => void): unknown },
  logger: Logger,
): void {
  let last = '';
  emitter.on('error', (error) => {
    if (error.message !== last) logger.warn(`Redis: ${error.message}`);
    last = error.message;
  });
}

export { QueueEvents };
