import { centeredMoment, noParams, NUMERIC, one } from '../recipe-helpers.js';
import type { Recipe } from '../recipe.js';

/**
 * Pearson correlation cov(x,y)/(σx·σy) from Σx, Σy, Σxy, Σx², Σy² (fixed-point factors cancel).
 * BFV: exact up to the final float division and square root. CKKS: error ≈ 1e-6·(E[x²]/var x + E[y²]/var y).
 */
export const correlationRecipe: Recipe<Record<string, never>> = {
  id: 'correlation',
  summary: 'Pearson correlation of two columns',
  inputs: [
    { role: 'x', kinds: NUMERIC },
    { role: 'y', kinds: NUMERIC },
  ],
  output: { kind: 'scalar', description: 'correlation in [−1, 1]' },
  minRows: 10,
  parseParams: noParams,
  plan: (ctx) => {
    const x = one(ctx.roles, 'x');
    const y = one(ctx.roles, 'y');
    return {
      terms: {
        sx: { op: 'sum', column: x },
        sy: { op: 'sum', column: y },
        sxy: { op: 'product', left: x, right: y },
        sxx: { op: 'product', left: x, right: x },
        syy: { op: 'product', left: y, right: y },
      },
      clear: { n: ctx.n },
    };
  },
  finish: (v, c) => {
    const n = c.n;
    const cov = centeredMoment(n, v.sxy, v.sx, v.sy);
    const vx = centeredMoment(n, v.sxx, v.sx, v.sx);
    const vy = centeredMoment(n, v.syy, v.sy, v.sy);
    // Released aggregates carry noise, which can push a variance to or below zero: the answer stays a correlation.
    const scale = Math.sqrt(Math.max(0, vx) * Math.max(0, vy));
    return scale > 0 ? Math.max(-1, Math.min(1, cov / scale)) : 0;
  },
};
