import { factor, noParams, NUMERIC, one } from '../recipe-helpers.js';
import type { Recipe } from '../recipe.js';

/**
 * Σx over filtered rows. BFV (integer/decimal): exact. CKKS: absolute error ≤ 1e-6·Σ|x| in practice
 * (fresh noise ~2^-30 per value at the 2^40 scale, growing with √rows; rotations add ~2^-35 each).
 */
export const sumRecipe: Recipe<Record<string, never>> = {
  id: 'sum',
  summary: 'Sum of a column',
  inputs: [{ role: 'x', kinds: NUMERIC }],
  output: { kind: 'scalar', description: 'Σx' },
  minRows: 10,
  parseParams: noParams,
  plan: (ctx) => {
    const x = one(ctx.roles, 'x');
    return { terms: { sx: { op: 'sum', column: x } }, clear: { n: ctx.n, fx: factor(ctx.specs, x) } };
  },
  finish: (v, c) => v.sx / c.fx,
};
