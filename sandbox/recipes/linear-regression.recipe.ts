import { factor, noParams, NUMERIC, one } from '../recipe-helpers.js';
import { RecipeError, type Recipe } from '../recipe.js';
import type { AggregateTerm } from '@app/he/evaluation';

/** Solves A·β = b by Gaussian elimination with partial pivoting; throws if A is singular. */
export function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    if (Math.abs(m[piv][col]) < 1e-300) throw new RecipeError('normal equations are singular');
    [m[col], m[piv]] = [m[piv], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let k = col; k <= n; k++) m[r][k] -= f * m[col][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * Ordinary least squares y ≈ β₀ + Σ βⱼxⱼ through encrypted XᵀX and Xᵀy (with an intercept column whose
 * sums are the public n and the encrypted Σxⱼ, Σy); the normal equations are solved after decryption.
 * BFV: exact aggregates, solution to float precision. CKKS: aggregates within ~1e-6 relative, the
 * solution's error amplified by the condition number of XᵀX. All columns share one parameter set.
 */
export const linearRegressionRecipe: Recipe<Record<string, never>> = {
  id: 'linear-regression',
  summary: 'Least-squares linear regression',
  inputs: [
    { role: 'features', kinds: NUMERIC, many: true },
    { role: 'y', kinds: NUMERIC },
  ],
  output: { kind: 'record', description: '{ intercept, coefficients }' },
  minRows: 20,
  parseParams: noParams,
  plan: (ctx) => {
    const xs = ctx.roles.features ?? [];
    if (xs.length < 1 || xs.length > 8) throw new RecipeError('1 to 8 feature columns');
    const y = one(ctx.roles, 'y');
    const terms: Record<string, AggregateTerm> = { sy: { op: 'sum', column: y } };
    const clear: Record<string, number> = { n: ctx.n, k: xs.length, fy: factor(ctx.specs, y) };
    xs.forEach((a, i) => {
      clear[`f${i}`] = factor(ctx.specs, a);
      terms[`s${i}`] = { op: 'sum', column: a };
      terms[`s${i}y`] = { op: 'product', left: a, right: y };
      for (let j = i; j < xs.length; j++) terms[`s${i}_${j}`] = { op: 'product', left: a, right: xs[j] };
    });
    return { terms, clear };
  },
  finish: (v, c) => {
    const k = c.k;
    const f = (i: number) => c[`f${i}`];
    const xtx: number[][] = [[c.n, ...Array.from({ length: k }, (_, i) => v[`s${i}`] / f(i))]];
    const xty: number[] = [v.sy / c.fy];
    for (let i = 0; i < k; i++) {
      const row = [v[`s${i}`] / f(i)];
      for (let j = 0; j < k; j++) {
        const [a, b] = i <= j ? [i, j] : [j, i];
        row.push(v[`s${a}_${b}`] / (f(a) * f(b)));
      }
      xtx.push(row);
      xty.push(v[`s${i}y`] / (f(i) * c.fy));
    }
    const beta = solveLinear(xtx, xty);
    return { intercept: beta[0], coefficients: beta.slice(1) };
  },
};
