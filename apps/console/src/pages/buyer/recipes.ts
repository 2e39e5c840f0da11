/**
 * The input roles of the sandbox's recipes (sandbox/recipes/*.recipe.ts: what `bindings` names), for the form.
 * The API checks the bindings again (`bad_bindings`).
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

export const FILTER_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in'] as const;
export const COMPUTATION_STATES = [
  'queued',
  'running',
  'evaluated',
  'released',
  'refused',
  'failed',
] as const;
