/**
 * The sandbox worker's composition, a second entry point of @app/platform (`@app/platform/worker`) so that the
 * compute process does not load the domain's code: config, clock, the job queue, the database with the one entity it
 * needs (computations), the blob store, the ledger's recorder, and compute's handler of `computation.evaluate`. No
 * application key (`SecretBox`), no ledger signing key, no HE secret key: nothing here can open one (issue 11, P2).
 */
import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig, Clock } from '@app/core';
import { COMPUTE_WORKER_ENTITIES, ComputeWorkerModule } from '@app/compute/worker';
import { DATABASE_ENTITIES } from '@app/database';
import { JobsModule } from '@app/jobs';
import { CoreModule } from './core.module.js';

const WORKER_MODULES = [JobsModule, ComputeWorkerModule];

@Module({})
export class SandboxWorkerModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: SandboxWorkerModule,
      imports: [
        CoreModule.forRoot(config, clock, [
          { provide: DATABASE_ENTITIES, useValue: COMPUTE_WORKER_ENTITIES },
        ]),
        ...WORKER_MODULES,
      ],
      exports: WORKER_MODULES,
    };
  }
}
