import type { Recipe } from './recipe.js';
import { correlationRecipe } from './recipes/correlation.recipe.js';
import { countRecipe } from './recipes/count.recipe.js';
import { covarianceRecipe } from './recipes/covariance.recipe.js';
import { dotProductRecipe } from './recipes/dot-product.recipe.js';
import { histogramRecipe } from './recipes/histogram.recipe.js';
import { linearRegressionRecipe } from './recipes/linear-regression.recipe.js';
import { meanRecipe } from './recipes/mean.recipe.js';
import { stddevRecipe } from './recipes/stddev.recipe.js';
import { sumRecipe } from './recipes/sum.recipe.js';
import { varianceRecipe } from './recipes/variance.recipe.js';

// Each entry is a Recipe of its own parameter type; the catalogue erases it to `unknown`.
const entries = [
  countRecipe,
  sumRecipe,
  meanRecipe,
  varianceRecipe,
  stddevRecipe,
  covarianceRecipe,
  correlationRecipe,
  dotProductRecipe,
  histogramRecipe,
  linearRegressionRecipe,
] as unknown as Recipe<unknown>[];

export const CATALOGUE: ReadonlyMap<string, Recipe<unknown>> = new Map(entries.map((r) => [r.id, r]));

export function getRecipe(id: string): Recipe<unknown> {
  const r = CATALOGUE.get(id);
  if (!r) throw new Error(`unknown recipe: ${id}`);
  return r;
}
