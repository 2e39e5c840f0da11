export { CATALOGUE, getRecipe } from './catalogue.js';
export { evaluateJob } from './evaluate-job.js';
export { finishJob } from './finish-job.js';
export type { JobResult } from './job-result.js';
export { buildJob, type JobRequest } from './job-builder.js';
export { JobRejected, parseJob, type JobColumn, type JobFilter, type JobPayload } from './job-schema.js';
export {
  RecipeError,
  type OutputShape,
  type PlanContext,
  type Recipe,
  type RecipeInput,
  type RecipeOutput,
  type RecipePlan,
} from './recipe.js';
export { solveLinear } from './recipes/linear-regression.recipe.js';
export { releaseSpareWorker, runRecipe, SandboxError, type RunLimits } from './runner.js';
export * from './release-sensitivity.js';
export { ComputeEngine, type ComputeEngineOptions, type ComputeTimings } from './engine/compute-engine.js';
export type { BlobLoader, EngineJob, EngineTimings, Evaluator } from './engine/engine-job.js';
export { outputSha256Of, planJob, type JobPlan } from './evaluate-job.js';
