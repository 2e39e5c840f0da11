/**
 * The sandbox worker's composition, a second entry point of @app/platform (`@app/platform/worker`) so that the
 * compute process does not even load the domain's code: config, clock and the job queue, and no application key,
 * database or ledger key. Compute's job handlers plug in here when that lib arrives.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig, Clock } from '@app/core';
import { JobsModule } from '@app/jobs';
import { CoreModule } from './core.module.js';

const WORKER_MODULES = [JobsModule];

@Module({})
export class SandboxWorkerModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: SandboxWorkerModule,
      imports: [CoreModule.forRoot(config, clock), ...WORKER_MODULES],
      exports: WORKER_MODULES,
    };
  }
}
