import {
  assertIntact,
  checkTerms,
  evaluateTerms,
  EvaluationSession,
  getParamSet,
  indicatorName,
  sha256Hex,
  termInputs,
  type AggregateTerm,
  type ColumnSpec,
  type EncryptedColumn,
  type ParamSetId,
} from '@app/he/evaluation';
import { CATALOGUE, getRecipe } from './catalogue.js';
import { JobRejected, parseJob, type JobFilter, type JobPayload } from './job-schema.js';
import type { JobResult } from './job-result.js';
import type { Recipe } from './recipe.js';

/** Resolves role bindings against the recipe's declared inputs; refuses anything undeclared. */
function bindColumns(
  recipe: Recipe<unknown>,
  job: {
    readonly bindings: Readonly<Record<string, string | readonly string[]>>;
    readonly columns: Readonly<Record<string, PlannedColumn>>;
  },
): { roles: Record<string, string[]>; used: Set<string> } {
  const roles: Record<string, string[]> = {};
  for (const role of Object.keys(job.bindings)) {
    if (!recipe.inputs.some((i) => i.role === role))
      throw new JobRejected(`recipe ${recipe.id} declares no input ${role}`);
  }
  const used = new Set<string>();
  for (const input of recipe.inputs) {
    const b = job.bindings[input.role];
    if (b === undefined) throw new JobRejected(`input ${input.role} not bound`);
    const names = typeof b === 'string' ? [b] : [...b];
    if (!input.many && names.length !== 1) throw new JobRejected(`input ${input.role} takes one column`);
    for (const name of names) {
      const col = job.columns[name];
      if (!col) throw new JobRejected(`column ${name} not supplied`);
      if (!input.kinds.includes(col.spec.kind))
        throw new JobRejected(`column ${name}: kind ${col.spec.kind} not accepted by ${input.role}`);
      if (used.has(name) && input.many) throw new JobRejected(`column ${name} bound twice`);
      used.add(name);
      if (input.bucketed) {
        const k = (col.spec.buckets?.length ?? 0) - 1;
        if (k < 1) throw new JobRejected(`column ${name} has no encryption-time buckets`);
        for (let i = 0; i < k; i++) {
          const ind = indicatorName(name, i);
          if (!job.columns[ind]) throw new JobRejected(`indicator column ${ind} not supplied`);
          used.add(ind);
        }
      }
    }
    roles[input.role] = names;
  }
  for (const name of Object.keys(job.columns)) {
    if (!used.has(name)) throw new JobRejected(`column ${name} is not an input the recipe declared`);
  }
  return { roles, used };
}

function buildMask(job: JobPayload, rows: number): Float64Array | undefined {
  const f: JobFilter | undefined = job.filter;
  if (!f) return undefined;
  const values = job.publicColumns?.[f.column];
  if (!values) throw new JobRejected(`filter column ${f.column} is not a public column`);
  if (values.length !== rows)
    throw new JobRejected(`filter column ${f.column} has ${values.length} rows, expected ${rows}`);
  const set = f.op === 'in' ? new Set(f.value as readonly number[]) : undefined;
  const t = f.value as number;
  const test = (v: number): boolean => {
    switch (f.op) {
      case 'eq':
        return v === t;
      case 'ne':
        return v !== t;
      case 'lt':
        return v < t;
      case 'le':
        return v <= t;
      case 'gt':
        return v > t;
      case 'ge':
        return v >= t;
      case 'in':
        return set!.has(v);
    }
  };
  const mask = new Float64Array(rows);
  for (let i = 0; i < rows; i++) mask[i] = test(values[i]) ? 1 : 0;
  return mask;
}

/** What planning reads of a column: its spec, parameter set and row count (no ciphertext). */
export interface PlannedColumn {
  readonly spec: ColumnSpec;
  readonly paramSet: ParamSetId;
  readonly rows: number;
}

/** A job planned with public information only: which columns, how many rows, which encrypted aggregates. */
export interface JobPlan {
  readonly recipe: Recipe<unknown>;
  /** Every column the bindings reach (indicator columns included), in binding order. */
  readonly used: ReadonlySet<string>;
  /** The columns the terms read (a subset of `used`; empty for a count). */
  readonly termColumns: ReadonlySet<string>;
  readonly rows: number;
  readonly mask: Float64Array | undefined;
  readonly terms: Readonly<Record<string, AggregateTerm>>;
  readonly clear: Readonly<Record<string, number>>;
  readonly paramSet: ParamSetId;
}

/**
 * Plans a job without touching a ciphertext: binds the recipe's declared inputs (refusing anything undeclared),
 * checks the columns agree in row count and parameter set, builds the mask (`maskFor`, given the row count),
 * enforces the recipe's minimum row count, parses the parameters and checks every term fits the parameter set.
 * Throws JobRejected, CapacityError or the recipe's RecipeError.
 */
export function planJob(
  job: {
    readonly recipe: string;
    readonly params?: unknown;
    readonly bindings: Readonly<Record<string, string | readonly string[]>>;
    readonly columns: Readonly<Record<string, PlannedColumn>>;
  },
  maskFor: (rows: number) => Float64Array | undefined,
): JobPlan {
  if (typeof job.recipe !== 'string' || !CATALOGUE.has(job.recipe))
    throw new JobRejected(`unknown recipe: ${String(job.recipe)}`);
  const recipe = getRecipe(job.recipe);
  const { roles, used } = bindColumns(recipe, job);
  const columns = job.columns;
  const rowCounts = new Set([...used].map((n) => columns[n].rows));
  if (rowCounts.size !== 1) throw new JobRejected('input columns differ in row count');
  const rows = [...rowCounts][0];

  const mask = maskFor(rows);
  const n = mask ? mask.reduce((a, b) => a + b, 0) : rows;
  if (n < recipe.minRows)
    throw new JobRejected(`recipe ${recipe.id} needs at least ${recipe.minRows} rows, ${n} remain`);

  const params = recipe.parseParams(job.params, { rows });
  const specs = Object.fromEntries([...used].map((k) => [k, columns[k].spec]));
  const plan = recipe.plan({ roles, specs, n, rows }, params);
  const clear = { ...plan.clear, rows };

  const termColumns = termInputs(plan.terms);
  const paramSets = new Set([...termColumns].map((c) => columns[c].paramSet));
  if (paramSets.size > 1) throw new JobRejected('input columns use different parameter sets');
  const paramSet: ParamSetId = paramSets.size === 1 ? [...paramSets][0] : columns[[...used][0]].paramSet;
  if (termColumns.size > 0) checkTerms(getParamSet(paramSet), plan.terms, columns, mask !== undefined);
  return { recipe, used, termColumns, rows, mask, terms: plan.terms, clear, paramSet };
}

/** SHA-256 over the sorted output names and their ciphertext hashes (`JobResult.outputSha256`). */
export function outputSha256Of(
  outputs: Readonly<Record<string, { readonly blob: { readonly sha256: string } }>>,
): string {
  return sha256Hex(
    new TextEncoder().encode(
      Object.keys(outputs)
        .sort()
        .map((k) => `${k}:${outputs[k].blob.sha256}`)
        .join('\n'),
    ),
  );
}

/**
 * Runs one job with public material only: validates the payload, binds the recipe's declared inputs,
 * verifies every ciphertext's SHA-256 before any evaluation, enforces the recipe's minimum row count,
 * evaluates the aggregates and returns them encrypted with input and output hashes.
 */
export async function evaluateJob(
  raw: unknown,
  opts: { session?: EvaluationSession } = {},
): Promise<JobResult> {
  const job = parseJob(raw);
  const recipe = getRecipe(job.recipe);
  const { used } = bindColumns(recipe, job);

  const columns: Record<string, EncryptedColumn> = {};
  const inputHashes: Record<string, string[]> = {};
  for (const name of used) {
    const c = job.columns[name];
    c.chunks.forEach((blob, i) => assertIntact(blob, `column ${name} chunk ${i}`));
    columns[name] = c;
    inputHashes[name] = c.chunks.map((b) => b.sha256);
  }
  const plan = planJob(job, (rows) => buildMask(job, rows));
  const { paramSet, mask } = plan;

  const outputs: Record<string, { paramSet: ParamSetId; blob: { bytes: Uint8Array; sha256: string } }> = {};
  if (plan.termColumns.size > 0) {
    const keys = job.keys.find((k) => k.paramSet === paramSet);
    if (!keys) throw new JobRejected(`no evaluation keys for ${paramSet}`);
    inputHashes['#relinKeys'] = [sha256Hex(keys.relinKeys)];
    inputHashes['#galoisKeys'] = [sha256Hex(keys.galoisKeys)];
    // A caller-held session (benchmarks, long-lived evaluators) must match the job's parameter set.
    const shared = opts.session?.he.params.id === paramSet ? opts.session : undefined;
    const session = shared ?? (await EvaluationSession.open(keys));
    try {
      const blobs = evaluateTerms(session, columns, plan.terms, mask);
      for (const [name, blob] of Object.entries(blobs)) outputs[name] = { paramSet, blob };
    } finally {
      if (!shared) session.dispose();
    }
  }
  return {
    recipe: recipe.id,
    params: job.params,
    paramSet,
    inputHashes,
    outputs,
    clear: plan.clear,
    outputSha256: outputSha256Of(outputs),
  };
}
