import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BLOB_STORE, BlobsModule, type BlobStore } from '@app/blobs';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { DatabaseModule } from '@app/database';
import { JobRegistry, JobsModule } from '@app/jobs';
import { LedgerRecorderModule } from '@app/ledger';
import type { Evaluator } from '../../../../sandbox/engine/engine-job.js';
import {
  blobLoader,
  COMPUTE_EVALUATOR,
  ComputationEvaluationService,
} from './computation-evaluation.service.js';
import { createComputeEvaluator } from './compute-evaluator.js';

/**
 * The sandbox worker's compute: registers the handler of `computation.evaluate` in the process's job registry.
 * Needs the database (the computation row and the ledger), the blob store and the ledger recorder; no secret.
 */
@Module({
  imports: [DatabaseModule, BlobsModule, LedgerRecorderModule, JobsModule],
  providers: [
    {
      provide: COMPUTE_EVALUATOR,
      inject: [APP_CONFIG, BLOB_STORE],
      useFactory: (config: AppConfig, blobs: BlobStore): Evaluator =>
        createComputeEvaluator(blobLoader(blobs), {
          cacheBytes: config.compute.cacheBytes,
          threads: config.compute.threads,
        }),
    },
    ComputationEvaluationService,
  ],
  exports: [ComputationEvaluationService],
})
export class ComputeWorkerModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: JobRegistry,
    private readonly service: ComputationEvaluationService,
    @Inject(COMPUTE_EVALUATOR) private readonly evaluator: Evaluator,
  ) {}

  onModuleInit(): void {
    this.registry.register('computation.evaluate', (payload) => this.service.handle(payload));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.evaluator.close();
  }
}
