import { factor, NUMERIC, one } from '../recipe-helpers.js';
import { RecipeError, type Recipe } from '../recipe.js';

export interface DotParams {
  /** One plaintext weight per row (integers for BFV columns). */
  readonly weights: Float64Array;
}

/**
 * Σ wᵢ·xᵢ with a plaintext weight per row (a linear score summed over rows); the filter mask is folded
 * into the weights, so it costs one plaintext multiplication. BFV: exact (integer weights). CKKS:
 * absolute error ≤ ~1e-6·Σ|wᵢxᵢ| (weights are encoded at the 2^40 scale).
 */
export const dotProductRecipe: Recipe<DotParams> = {
  id: 'dot-product',
  summary: 'Dot product of a column with a plaintext weight vector',
  inputs: [{ role: 'x', kinds: NUMERIC }],
  output: { kind: 'scalar', description: 'Σ wᵢxᵢ' },
  minRows: 10,
  parseParams: (raw, { rows }) => {
    if (typeof raw !== 'object' || raw === null || Object.keys(raw).some((k) => k !== 'weights')) {
      throw new RecipeError('parameters must be { weights }');
    }
    const w = (raw as { weights?: unknown }).weights;
    const arr =
      w instanceof Float64Array ? w : Array.isArray(w) ? Float64Array.from(w as number[]) : undefined;
    if (!arr || arr.length !== rows || arr.some((x) => !Number.isFinite(x))) {
      throw new RecipeError(`weights must be ${rows} finite numbers`);
    }
    return { weights: arr };
  },
  plan: (ctx, p) => {
    const x = one(ctx.roles, 'x');
    return {
      terms: { swx: { op: 'weighted', column: x, weights: p.weights } },
      clear: { n: ctx.n, fx: factor(ctx.specs, x) },
    };
  },
  finish: (v, c) => v.swx / c.fx,
};
