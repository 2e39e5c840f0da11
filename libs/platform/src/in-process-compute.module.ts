import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BLOB_STORE, BlobsModule, type BlobStore } from '@app/blobs';
import { APP_CONFIG, Clock, type AppConfig } from '@app/core';
import { DatabaseModule, UnitOfWork } from '@app/database';
import { JobRegistry, JobsModule } from '@app/jobs';
import { LedgerRecorder, LedgerRecorderModule } from '@app/ledger';

/**
 * Without Redis the API runs the jobs itself: this registers `computation.evaluate` lazily, so the sandbox's code is
 * imported (`import('@app/compute/worker')`) when the first computation is evaluated, not when the API starts; the
 * handler is the sandbox worker's own. With Redis nothing is registered: the API only enqueues.
 */
@Module({ imports: [DatabaseModule, BlobsModule, LedgerRecorderModule, JobsModule] })
export class InProcessComputeModule implements OnModuleInit, OnApplicationShutdown {
  private close?: () => Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly uow: UnitOfWork,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (this.config.redis) return;
    this.registry.registerLazy('computation.evaluate', async () => {
      const { createComputationHandler } = await import('@app/compute/worker');
      const made = createComputationHandler({
        uow: this.uow,
        blobs: this.blobs,
        ledger: this.ledger,
        clock: this.clock,
        config: this.config,
      });
      this.close = made.close;
      return made.handler;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close?.();
  }
}
