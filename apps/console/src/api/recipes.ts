import { useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from './client';

export type Recipe = Schemas['RecipeResponse'];

let loading: Promise<Recipe[]> | null = null;

/** The sandbox's recipe catalogue as the API serves it (`GET /v1/recipes`), fetched once per page load. */
export function loadRecipes(): Promise<Recipe[]> {
  loading ??= unwrap(api.GET('/v1/recipes')).then(
    (r) => r.recipes,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** The recipe catalogue for a page: empty until it has loaded (and if it cannot be). */
export function useRecipes(): Recipe[] {
  const [recipes, setRecipes] = useState<Recipe[]>([]);
  useEffect(() => {
    let live = true;
    loadRecipes()
      .then((r) => live && setRecipes(r))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return recipes;
}
