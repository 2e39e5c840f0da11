// `@app/compute/worker`: the sandbox worker's side of computations (the handler of `computation.evaluate`). Loaded
// by the sandbox worker, and lazily by the API when it runs jobs in-process; never statically by the API.
export * from './compute-worker.factory.js';
export * from './compute-worker.module.js';
export * from './computation-evaluation.service.js';
export * from './public-mask.js';
export * from './compute-evaluator.js';
export { COMPUTE_ENTITIES as COMPUTE_WORKER_ENTITIES } from '../entities/computation.entity.js';
