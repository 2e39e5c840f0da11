/**
 * The compute process: consumes the exchange's queue from Redis and runs the registered handlers (every job of the
 * catalogue, or it refuses to start), one job at a time. It holds no secret key and imports nothing that could open
 * one (`libs/platform/src/worker.spec.ts` checks its import graph). Several of these processes on one Redis share the
 * queue; a job's lock passes to another when its process dies (`COMPUTE_JOB_LOCK_MS`).
 */
import './process-logging.js';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { COMPUTE_EVALUATOR, type Evaluator } from '@app/compute/worker';
import { ConfigError, loadConfig } from '@app/core';
import { JobRegistry, startBullMqWorker } from '@app/jobs';
import { SandboxWorkerModule } from '@app/platform/worker';

const logger = new Logger('sandbox-worker');

/** One JSON line as a job starts and as it ends, its parts as fields (queue wait, load, compute). */
function logJob(fields: Record<string, unknown>): void {
  process.stdout.write(
    `${JSON.stringify({ level: 'info', time: new Date().toISOString(), context: 'job', message: 'job done', ...fields })}\n`,
  );
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redis) {
    throw new ConfigError(
      'REDIS_URL',
      'the sandbox worker consumes a Redis queue; without REDIS_URL jobs run inside the API',
    );
  }
  const context = await NestFactory.createApplicationContext(SandboxWorkerModule.forRoot(config), {
    logger: ['error', 'warn', 'log'],
  });
  // The evaluation threads boot before the first job is taken, not during it.
  await context.get<Evaluator>(COMPUTE_EVALUATOR).ready();
  const registry = context.get(JobRegistry);
  const worker = startBullMqWorker(registry, config.redis, {
    concurrency: 1,
    lockMs: config.compute.jobLockMs,
    onCompleted: (job, report) =>
      logJob({ job: job.name, jobId: job.id, queueWaitMs: job.queueWaitMs, totalMs: job.totalMs, ...report }),
  });
  worker.on('active', (job) => logJob({ message: 'job started', job: job.name, jobId: job.id }));
  await worker.waitUntilReady();
  logger.log(
    `connected to ${config.redis.url.replace(/\/\/[^@]*@/, '//***@')}, waiting for jobs (${registry.names().join(', ')})`,
  );
  const stop = async (signal: string): Promise<void> => {
    logger.log(`${signal}: finishing the current job, then stopping`);
    await worker.close();
    await context.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
