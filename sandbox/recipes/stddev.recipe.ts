import { sampleParam, NUMERIC } from '../recipe-helpers.js';
import type { Recipe } from '../recipe.js';
import { moments, variance } from './variance.recipe.js';

/** √variance; error bound: that of `variance`, halved in relative terms. */
export const stddevRecipe: Recipe<{ sample: boolean }> = {
  id: 'stddev',
  summary: 'Standard deviation of a column',
  inputs: [{ role: 'x', kinds: NUMERIC }],
  output: { kind: 'scalar', description: 'standard deviation' },
  minRows: 10,
  parseParams: sampleParam,
  plan: moments,
  finish: (v, c, p) => Math.sqrt(Math.max(0, variance(v, c, p.sample))),
};
