import { ValidationFailed } from '@app/core';
import { CATALOGUE } from '../../../sandbox/catalogue.js';
import type { ListingRecipe } from './entities/listing.entity.js';

/** An asset column as far as recipes care: its name and declared type. */
export interface RecipeColumn {
  name: string;
  type: string;
}

/** Asset column types the sandbox can compute on (its `integer` and `decimal` column kinds). */
const NUMERIC_TYPES = new Set(['integer', 'decimal']);

/** The recipes the sandbox offers, by name, with the column kinds each input accepts. */
export const recipeNames = (): string[] => [...CATALOGUE.keys()];

/** A recipe as a client needs it to offer or run one: its inputs by role, its output and its row minimum. */
export interface RecipeDescription {
  id: string;
  summary: string;
  inputs: { role: string; kinds: string[]; many: boolean; bucketed: boolean }[];
  output: { kind: 'scalar' | 'vector' | 'record'; description: string };
  minRows: number;
}

/** The sandbox catalogue as plain data, in its own order (the one source of GET /v1/recipes, which the console and `exchange compute recipes` read). */
export const recipeDescriptions = (): RecipeDescription[] =>
  [...CATALOGUE.values()].map((r) => ({
    id: r.id,
    summary: r.summary,
    inputs: r.inputs.map((i) => ({
      role: i.role,
      kinds: [...i.kinds],
      many: i.many ?? false,
      bucketed: i.bucketed ?? false,
    })),
    output: { kind: r.output.kind, description: r.output.description },
    minRows: r.minRows,
  }));

/**
 * The first thing wrong with a compute listing's recipes, or undefined: each is a recipe of the sandbox catalogue,
 * named once, with at least one column for each of its inputs; each column exists in the listing's assets and, where
 * the recipe computes on numbers, is numeric. Pure.
 */
export function recipeProblem(
  recipes: readonly ListingRecipe[],
  columns: readonly RecipeColumn[],
): { code: string; message: string } | undefined {
  const byName = new Map<string, RecipeColumn[]>();
  for (const column of columns) byName.set(column.name, [...(byName.get(column.name) ?? []), column]);
  const seen = new Set<string>();
  for (const { recipe: name, columns: names } of recipes) {
    const recipe = CATALOGUE.get(name);
    if (!recipe) {
      return {
        code: 'unknown_recipe',
        message: `recipe ${name} is not in the sandbox catalogue (${recipeNames().join(', ')})`,
      };
    }
    if (seen.has(name)) return { code: 'duplicate_recipe', message: `recipe ${name} is named twice` };
    seen.add(name);
    if (new Set(names).size !== names.length) {
      return { code: 'duplicate_column', message: `recipe ${name} names a column twice` };
    }
    if (names.length < recipe.inputs.length) {
      return {
        code: 'too_few_columns',
        message: `recipe ${name} takes ${recipe.inputs.map((i) => i.role).join(', ')}: name at least ${recipe.inputs.length} column(s)`,
      };
    }
    const numeric = recipe.inputs.every((input) =>
      input.kinds.every((kind) => kind === 'integer' || kind === 'decimal' || kind === 'real'),
    );
    for (const column of names) {
      const found = byName.get(column);
      if (!found) {
        return {
          code: 'unknown_column',
          message: `recipe ${name}: column ${column} is not a column of the listing's assets`,
        };
      }
      if (numeric && !found.every((c) => NUMERIC_TYPES.has(c.type))) {
        return {
          code: 'column_not_numeric',
          message: `recipe ${name} computes on numbers: column ${column} is ${found.map((c) => c.type).join('/')}`,
        };
      }
    }
  }
  return undefined;
}

/** Throws a 400 for the first problem of `recipeProblem`. */
export function assertRecipes(recipes: readonly ListingRecipe[], columns: readonly RecipeColumn[]): void {
  const problem = recipeProblem(recipes, columns);
  if (problem) throw new ValidationFailed(problem.message, problem.code);
}
