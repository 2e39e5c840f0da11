import { centeredMoment, factor, NUMERIC, one, sampleParam } from '../recipe-helpers.js';
import type { PlanContext, Recipe, RecipePlan } from '../recipe.js';

export function moments(ctx: PlanContext): RecipePlan {
  const x = one(ctx.roles, 'x');
  return {
    terms: { sx: { op: 'sum', column: x }, sxx: { op: 'product', left: x, right: x } },
    clear: { n: ctx.n, fx: factor(ctx.specs, x) },
  };
}

export function variance(
  v: Readonly<Record<string, number>>,
  c: Readonly<Record<string, number>>,
  sample: boolean,
): number {
  const n = c.n;
  const pop = centeredMoment(n, v.sxx, v.sx, v.sx) / (c.fx * c.fx);
  return sample ? (pop * n) / (n - 1) : pop;
}

/**
 * E[x²] − E[x]² (population; `sample: true` for the n−1 estimator). BFV: exact aggregates, the
 * subtraction done in BigInt. CKKS: Σx² relative error ≤ 1e-6, so the variance's absolute error is
 * ≤ ~1e-6·E[x²]: large relative error when the mean dominates the spread (use decimals/BFV then).
 */
export const varianceRecipe: Recipe<{ sample: boolean }> = {
  id: 'variance',
  summary: 'Variance of a column',
  inputs: [{ role: 'x', kinds: NUMERIC }],
  output: { kind: 'scalar', description: 'variance' },
  minRows: 10,
  parseParams: sampleParam,
  plan: moments,
  // Noise on the released sums can make the computed variance negative; a variance is never below zero.
  finish: (v, c, p) => Math.max(0, variance(v, c, p.sample)),
};
