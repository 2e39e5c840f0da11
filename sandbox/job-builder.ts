import { indicatorName, type EncryptedDataset, type PublicKeyMaterial } from '@app/he/evaluation';
import { getRecipe } from './catalogue.js';
import type { JobFilter, JobPayload } from './job-schema.js';

export interface JobRequest {
  readonly dataset: EncryptedDataset;
  /** Public key material per parameter set; only the evaluation keys are put in the job. */
  readonly keys: readonly PublicKeyMaterial[];
  readonly recipe: string;
  readonly bindings: Readonly<Record<string, string | readonly string[]>>;
  readonly params?: unknown;
  readonly filter?: JobFilter;
}

/** Assembles a job with only the columns the recipe's bindings need (and the filter's public column). */
export function buildJob(req: JobRequest): JobPayload {
  const recipe = getRecipe(req.recipe);
  const columns: Record<string, JobPayload['columns'][string]> = {};
  for (const input of recipe.inputs) {
    const b = req.bindings[input.role];
    for (const name of b === undefined ? [] : typeof b === 'string' ? [b] : b) {
      const col = req.dataset.columns[name];
      if (!col) continue;
      columns[name] = col;
      const k = input.bucketed ? (col.spec.buckets?.length ?? 1) - 1 : 0;
      for (let i = 0; i < k; i++) {
        const ind = req.dataset.columns[indicatorName(name, i)];
        if (ind) columns[ind.spec.name] = ind;
      }
    }
  }
  const publicColumns = req.filter
    ? { [req.filter.column]: req.dataset.publicColumns[req.filter.column] }
    : undefined;
  return {
    recipe: req.recipe,
    params: req.params,
    bindings: req.bindings,
    columns,
    ...(publicColumns && publicColumns[req.filter!.column] ? { publicColumns } : {}),
    ...(req.filter ? { filter: req.filter } : {}),
    keys: req.keys.map((k) => ({ paramSet: k.paramSet, relinKeys: k.relinKeys, galoisKeys: k.galoisKeys })),
  };
}
