import { getRecipe } from './catalogue.js';
import type { JobResult } from './job-result.js';
import type { RecipeOutput } from './recipe.js';

/**
 * Data holder's side, after decrypting `result.outputs` (e.g. with `decryptAggregates` of @app/he):
 * turns the decrypted aggregates and the result's public numbers into the recipe's answer.
 */
export function finishJob(result: JobResult, decrypted: Readonly<Record<string, number>>): RecipeOutput {
  const recipe = getRecipe(result.recipe);
  for (const name of Object.keys(result.outputs)) {
    if (!(name in decrypted)) throw new Error(`aggregate ${name} not decrypted`);
  }
  const params = recipe.parseParams(result.params, { rows: result.clear.rows });
  return recipe.finish(decrypted, result.clear, params);
}
