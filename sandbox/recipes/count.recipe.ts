import { noParams, NUMERIC } from '../recipe-helpers.js';
import type { Recipe } from '../recipe.js';

/**
 * Number of rows of a column that pass the public filter. The count is public information (row count
 * and public filter columns), so it is returned in the clear and nothing is decrypted. Exact.
 */
export const countRecipe: Recipe<Record<string, never>> = {
  id: 'count',
  summary: 'Number of rows passing the filter',
  inputs: [{ role: 'x', kinds: NUMERIC }],
  output: { kind: 'scalar', description: 'row count' },
  minRows: 10,
  parseParams: noParams,
  plan: (ctx) => ({ terms: {}, clear: { n: ctx.n } }),
  finish: (_values, clear) => clear.n,
};
