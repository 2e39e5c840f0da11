/** A copy of ComputationJob's filter `op` union (libs/compute/src/core/computation-job.ts), which is a type, not a list. */
export const FILTER_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in'] as const;
