/**
 * The input roles of the sandbox's recipes (sandbox/recipes/*.recipe.ts: what `bindings` names), for the form.
 * The API checks the bindings again (`bad_bindings`).
 * A copy: the recipes import `@app/he/evaluation` (the HE evaluator), which the console neither aliases nor should bundle.
 */
export const RECIPE_ROLES: Record<string, { role: string; many?: boolean }[]> = {
  count: [{ role: 'x' }],
  sum: [{ role: 'x' }],
  mean: [{ role: 'x' }],
  variance: [{ role: 'x' }],
  stddev: [{ role: 'x' }],
  histogram: [{ role: 'x' }],
  'dot-product': [{ role: 'x' }],
  covariance: [{ role: 'x' }, { role: 'y' }],
  correlation: [{ role: 'x' }, { role: 'y' }],
  'linear-regression': [{ role: 'features', many: true }, { role: 'y' }],
};

/** A copy of ComputationJob's filter `op` union (libs/compute/src/core/computation-job.ts), which is a type, not a list. */
export const FILTER_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in'] as const;
