import {
  assertIntact,
  checkTerms,
  evaluateTerms,
  EvaluationSession,
  indicatorName,
  sha256Hex,
  type EncryptedColumn,
  type ParamSetId,
} from '@app/he/evaluation';
import { getRecipe } from './catalogue.js';
import { JobRejected, parseJob, type JobFilter, type JobPayload } from './job-schema.js';
import type { JobResult } from './job-result.js';
import type { Recipe } from './recipe.js';

/** Resolves role bindings against the recipe's declared inputs; refuses anything undeclared. */
function bindColumns(
  recipe: Recipe<unknown>,
  job: JobPayload,
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
  const { roles, used } = bindColumns(recipe, job);

  const columns: Record<string, EncryptedColumn> = {};
  const inputHashes: Record<string, string[]> = {};
  for (const name of used) {
    const c = job.columns[name];
    c.chunks.forEach((blob, i) => assertIntact(blob, `column ${name} chunk ${i}`));
    columns[name] = c;
    inputHashes[name] = c.chunks.map((b) => b.sha256);
  }
  const rowCounts = new Set([...used].map((n) => columns[n].rows));
  if (rowCounts.size !== 1) throw new JobRejected('input columns differ in row count');
  const rows = [...rowCounts][0];

  const mask = buildMask(job, rows);
  const n = mask ? mask.reduce((a, b) => a + b, 0) : rows;
  if (n < recipe.minRows)
    throw new JobRejected(`recipe ${recipe.id} needs at least ${recipe.minRows} rows, ${n} remain`);

  const params = recipe.parseParams(job.params, { rows });
  const specs = Object.fromEntries(Object.entries(columns).map(([k, c]) => [k, c.spec]));
  const plan = recipe.plan({ roles, specs, n, rows }, params);
  const clear = { ...plan.clear, rows };

  const termColumns = new Set(
    Object.values(plan.terms).flatMap((t) => (t.op === 'product' ? [t.left, t.right] : [t.column])),
  );
  const paramSets = new Set([...termColumns].map((c) => columns[c].paramSet));
  const paramSet: ParamSetId = paramSets.size === 1 ? [...paramSets][0] : columns[[...used][0]].paramSet;
  if (paramSets.size > 1) throw new JobRejected('input columns use different parameter sets');

  const outputs: Record<string, { paramSet: ParamSetId; blob: { bytes: Uint8Array; sha256: string } }> = {};
  if (termColumns.size > 0) {
    const keys = job.keys.find((k) => k.paramSet === paramSet);
    if (!keys) throw new JobRejected(`no evaluation keys for ${paramSet}`);
    inputHashes['#relinKeys'] = [sha256Hex(keys.relinKeys)];
    inputHashes['#galoisKeys'] = [sha256Hex(keys.galoisKeys)];
    // A caller-held session (benchmarks, long-lived evaluators) must match the job's parameter set.
    const shared = opts.session?.he.params.id === paramSet ? opts.session : undefined;
    const session = shared ?? (await EvaluationSession.open(keys));
    try {
      checkTerms(session, plan.terms, columns, mask !== undefined);
      const blobs = evaluateTerms(session, columns, plan.terms, mask);
      for (const [name, blob] of Object.entries(blobs)) outputs[name] = { paramSet, blob };
    } finally {
      if (!shared) session.dispose();
    }
  }
  const outputSha256 = sha256Hex(
    new TextEncoder().encode(
      Object.keys(outputs)
        .sort()
        .map((k) => `${k}:${outputs[k].blob.sha256}`)
        .join('\n'),
    ),
  );
  return { recipe: recipe.id, params: job.params, paramSet, inputHashes, outputs, clear, outputSha256 };
}
