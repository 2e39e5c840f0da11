import { factor, noParams, NUMERIC, one } from '../recipe-helpers.js';
import type { Recipe } from '../recipe.js';

/** Σx / n over filtered rows. BFV: exact up to one final division. CKKS: the sum's bound divided by n. */
export const meanRecipe: Recipe<Record<string, never>> = {
  id: 'mean',
  summary: 'Arithmetic mean of a column',
  inputs: [{ role: 'x', kinds: NUMERIC }],
  output: { kind: 'scalar', description: 'Σx / n' },
  minRows: 10,
  parseParams: noParams,
  plan: (ctx) => {
    const x = one(ctx.roles, 'x');
    return { terms: { sx: { op: 'sum', column: x } }, clear: { n: ctx.n, fx: factor(ctx.specs, x) } };
  },
  finish: (v, c) => v.sx / c.fx / c.n,
};
