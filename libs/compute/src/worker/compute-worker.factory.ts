import type { BlobStore } from '@app/blobs';
import type { Clock, AppConfig } from '@app/core';
import type { UnitOfWork } from '@app/database';
import type { JobHandler, JobCatalogue } from '@app/jobs';
import type { LedgerRecorder } from '@app/ledger';
import { blobLoader, ComputationEvaluationService } from './computation-evaluation.service.js';
import { createComputeEvaluator } from './compute-evaluator.js';

export interface ComputeHandlerDeps {
  readonly uow: UnitOfWork;
  readonly blobs: BlobStore;
  readonly ledger: LedgerRecorder;
  readonly clock: Clock;
  readonly config: AppConfig;
}

/**
 * The same handler `ComputeWorkerModule` registers, made from the services a process already has: what the API
 * imports lazily (`import('@app/compute/worker')`) to run `computation.evaluate` in-process when there is no Redis.
 */
export function createComputationHandler(deps: ComputeHandlerDeps): {
  handler: JobHandler<JobCatalogue['computation.evaluate']>;
  close(): Promise<void>;
} {
  const evaluator = createComputeEvaluator(blobLoader(deps.blobs), {
    cacheBytes: deps.config.compute.cacheBytes,
    threads: deps.config.compute.threads,
  });
  const service = new ComputationEvaluationService(deps.uow, deps.blobs, deps.ledger, deps.clock, evaluator);
  return { handler: (payload) => service.handle(payload), close: () => evaluator.close() };
}
