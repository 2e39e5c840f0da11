import { centeredMoment, factor, NUMERIC, one, sampleParam } from '../recipe-helpers.js';
import type { Recipe } from '../recipe.js';

/**
 * E[xy] − E[x]E[y] (population; `sample: true` for n−1). BFV: exact aggregates, BigInt subtraction.
 * CKKS: absolute error ≤ ~1e-6·E[|xy|]. Both columns must share one parameter set.
 */
export const covarianceRecipe: Recipe<{ sample: boolean }> = {
  id: 'covariance',
  summary: 'Covariance of two columns',
  inputs: [
    { role: 'x', kinds: NUMERIC },
    { role: 'y', kinds: NUMERIC },
  ],
  output: { kind: 'scalar', description: 'covariance' },
  minRows: 10,
  parseParams: sampleParam,
  plan: (ctx) => {
    const x = one(ctx.roles, 'x');
    const y = one(ctx.roles, 'y');
    return {
      terms: {
        sx: { op: 'sum', column: x },
        sy: { op: 'sum', column: y },
        sxy: { op: 'product', left: x, right: y },
      },
      clear: { n: ctx.n, fx: factor(ctx.specs, x), fy: factor(ctx.specs, y) },
    };
  },
  finish: (v, c, p) => {
    const n = c.n;
    const pop = centeredMoment(n, v.sxy, v.sx, v.sy) / (c.fx * c.fy);
    return p.sample ? (pop * n) / (n - 1) : pop;
  },
};
