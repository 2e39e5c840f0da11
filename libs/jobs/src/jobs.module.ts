import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { BullMqJobQueue } from './bullmq-job-queue.js';
import { InProcessJobQueue } from './in-process-job-queue.js';
import { JobQueue, JobRegistry } from './job-queue.js';

/**
 * JobQueue on BullMQ when REDIS_URL is set (a producer: the sandbox worker consumes), else in-process (the handlers
 * registered in the one JobRegistry run here).
 */
@Module({
  providers: [
    { provide: JobRegistry, useFactory: () => new JobRegistry() },
    {
      provide: JobQueue,
      inject: [APP_CONFIG, JobRegistry],
      useFactory: (config: AppConfig, registry: JobRegistry) =>
        config.redis ? new BullMqJobQueue(registry, config.redis) : new InProcessJobQueue(registry),
    },
  ],
  exports: [JobRegistry, JobQueue],
})
export class JobsModule implements OnApplicationShutdown {
  constructor(@Inject(JobQueue) private readonly queue: JobQueue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
