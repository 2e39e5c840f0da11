import { Logger } from '@nestjs/common';
import { Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { JOB_ATTEMPTS, JobQueue, JobRegistry, PermanentJobError, type QueueHealth } from './job-queue.js';

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

/** Producer side, used by the API: BullMQ refuses a second job with the same id while the first is kept. */
export class BullMqJobQueue extends JobQueue {
  private readonly queue: Queue;

  constructor(
    private readonly registry: JobRegistry,
    settings: RedisSettings,
  ) {
    super();
    this.queue = new Queue(QUEUE_NAME, { connection: redisConnection(settings), prefix: settings.prefix });
    logOutages(this.queue, new Logger('queue'));
  }

  async enqueue(name: string, payload: unknown, jobId: string): Promise<void> {
    this.registry.handlerFor(name);
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

/** Consumer side, run by the sandbox worker (and by tests): the registry's handlers process the queue. */
export function startBullMqWorker(registry: JobRegistry, settings: RedisSettings, concurrency = 1): Worker {
  const logger = new Logger('worker');
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      try {
        await registry.handlerFor(job.name)(job.data);
      } catch (error) {
        if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    { connection: redisConnection(settings), prefix: settings.prefix, concurrency },
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
