import { createHash } from 'node:crypto';
import { evaluateRelease, type RandomSource, type ReleaseDecision } from '@app/compute';
import { fromStoredEvaluation, type ReleasedResult } from '@app/compute/core';
import { decryptAggregates, type SecretKeyMaterial } from '@app/he';
import { assertIntact } from '@app/he/evaluation';
import { parseResultPublicKey, resultKeyId, sealResult } from '@app/results/core';
import {
  finishJob,
  getRecipe,
  releasedNames,
  releasedTerms,
  releasedVector,
  releaseSensitivity,
  type JobResult,
  type RecipeOutput,
} from '../../../../sandbox/index.js';
import type { EvaluationBundle } from './agent-bundle.js';
import { entryOf, type AgentJournal, type JournalEntry } from './agent-journal.js';
import { checkMerchantSignature, checkScope, policyView, type AgentRefusal } from './agent-recheck.js';

/** What the agent decided for one computation, and the contract figures to remember as first seen. */
export interface AgentDecision {
  readonly entry: JournalEntry;
  readonly seen: { budgetMilli: number; minRows: number };
  /** True when the entry was already in the journal (a retry re-posts it unchanged). */
  readonly replayed: boolean;
}

export interface DecideOptions {
  /** SECRET. The merchant's HE key sets (one per parameter set of the dataset's columns). */
  readonly keys: readonly SecretKeyMaterial[];
  /** The contract's EIP-712 message as the platform serves it; needed when the contract carries the merchant's signature. */
  readonly typedDataMessage?: Readonly<Record<string, unknown>>;
  /** Tests only: a seeded source; the default is node:crypto. */
  readonly random?: RandomSource;
  readonly now?: () => Date;
}

/**
 * The agent's decision on one evaluated computation: a journal entry to record and then post. In order:
 * a decision already in the journal is returned as it is; the scope (terms hash, the merchant's signature, recipe
 * and columns in the terms, the evaluation of this recipe over this row set) and the output policy (k, repeat,
 * differencing, ε budget over the union of the platform's history and the journal) are checked BEFORE anything is
 * decrypted; then every output ciphertext's SHA-256, decryption, noise (`evaluateRelease`), the recipe's `finish`
 * on the noised aggregates, and the `ReleasedResult` sealed to the buyer's key.
 *
 * SECRET: holds decrypted aggregates in memory only; the entry carries noised values and the sealed envelope,
 * never an exact value or a key. Precondition: `journal` is this agent's current journal (one agent per journal).
 */
export async function decideComputation(
  bundle: EvaluationBundle,
  journal: AgentJournal,
  options: DecideOptions,
): Promise<AgentDecision> {
  const contractId = bundle.contract.id;
  const computationId = bundle.computation.id;
  const view = policyView(bundle, journal);
  const existing = entryOf(journal, contractId, computationId);
  if (existing) return { entry: existing, seen: view.seen, replayed: true };
  const at = (options.now ?? (() => new Date()))().toISOString();
  const refused = (r: AgentRefusal): AgentDecision => ({
    entry: { kind: 'refuse', computationId, code: r.code, reason: r.reason, posted: false, at },
    seen: view.seen,
    replayed: false,
  });

  const scope = checkScope(bundle) ?? checkMerchantSignature(bundle, options.typedDataMessage);
  if (scope) return refused(scope);

  let planned;
  try {
    planned = planOf(bundle);
  } catch (error) {
    return refused({
      code: 'agent_refused',
      reason: `the recipe's plan fails here: ${(error as Error).message}`,
    });
  }
  const { terms, names, sensitivity, n } = planned;
  const outputs = Object.keys(bundle.evaluation.outputs).sort();
  const expected = terms.map(([name]) => name);
  if (JSON.stringify(outputs) !== JSON.stringify(expected)) {
    return refused({
      code: 'agent_refused',
      reason: `the evaluation holds aggregates [${outputs.join(', ')}], the recipe's plan [${expected.join(', ')}]`,
    });
  }

  let publicKey: Uint8Array;
  try {
    publicKey = await parseResultPublicKey(bundle.buyerResultKey.publicKey);
  } catch (error) {
    return refused({ code: 'agent_refused', reason: `the buyer's result key: ${(error as Error).message}` });
  }
  if (resultKeyId(publicKey) !== bundle.buyerResultKey.keyId) {
    return refused({ code: 'agent_refused', reason: "the buyer's result key does not match its key id" });
  }

  const request = {
    policy: view.policy,
    budget: view.budget,
    history: view.history,
    releaseId: computationId,
    queryKey: bundle.queryKey,
    rowSet: bundle.rowSet,
    sensitivity: sensitivity.delta,
    epsilon: view.epsilonMilli / 1000,
    resolution: sensitivity.resolution,
    random: options.random,
  };
  // The policy first, on placeholder values: its refusals and repeats depend on row sets, ε and history only.
  const before = evaluateRelease({ ...request, values: names.map(() => 0) });
  if (before.decision === 'refuse') return refused(policyRefusal(before));
  const seal = async (result: ReleasedResult) =>
    sealResult(publicKey, new TextEncoder().encode(JSON.stringify(result)), { computationId, contractId });
  const finish = (noised: readonly string[]) => finishNoised(bundle, names, noised);

  if (before.decision === 'repeat') {
    if (view.platformOnly.has(before.releaseId)) {
      return refused({
        code: 'agent_refused',
        reason: `a repeat of computation ${before.releaseId}, whose released values this agent has no record of`,
      });
    }
    const earlier = entryOf(journal, contractId, before.releaseId);
    const repeatOf = earlier?.kind === 'release' && earlier.repeatOf ? earlier.repeatOf : before.releaseId;
    const envelope = await seal(
      releasedResult(
        bundle,
        names,
        before.noisedValues,
        before.resolution,
        finish(before.noisedValues),
        n,
        0,
        repeatOf,
      ),
    );
    return {
      entry: {
        kind: 'release',
        computationId,
        queryKey: bundle.queryKey,
        rowSet: bundle.rowSet,
        resolution: before.resolution,
        noisedValues: before.noisedValues,
        milliEpsilon: 0,
        repeatOf,
        envelope,
        posted: false,
        at,
      },
      seen: view.seen,
      replayed: false,
    };
  }

  const stored = fromStoredEvaluation(bundle.evaluation);
  for (const [name, out] of Object.entries(stored.outputs)) {
    try {
      assertIntact(out.blob, `aggregate ${name}`);
    } catch (error) {
      return refused({ code: 'agent_refused', reason: (error as Error).message });
    }
  }
  if (outputDigest(bundle) !== bundle.evaluation.outputSha256) {
    return refused({
      code: 'agent_refused',
      reason: 'the evaluation output hash does not match its aggregates',
    });
  }
  const decrypted = await decryptAggregates(stored.outputs, options.keys);
  const decision: ReleaseDecision = evaluateRelease({
    ...request,
    values: releasedVector(terms, decrypted, n),
  });
  for (const name of Object.keys(decrypted)) decrypted[name] = 0;
  if (decision.decision !== 'release') {
    // The same inputs decided `release` above; anything else means the history moved under us.
    return refused(
      decision.decision === 'refuse'
        ? policyRefusal(decision)
        : { code: 'agent_refused', reason: 'the policy changed its decision' },
    );
  }
  const milli = decision.newHistoryEntry.milliEpsilon;
  const envelope = await seal(
    releasedResult(
      bundle,
      names,
      decision.noisedValues,
      decision.resolution,
      finish(decision.noisedValues),
      n,
      milli,
    ),
  );
  return {
    entry: {
      kind: 'release',
      computationId,
      queryKey: bundle.queryKey,
      rowSet: bundle.rowSet,
      resolution: decision.resolution,
      noisedValues: decision.noisedValues,
      milliEpsilon: milli,
      envelope,
      posted: false,
      at,
    },
    seen: view.seen,
    replayed: false,
  };
}

function planOf(bundle: EvaluationBundle) {
  const recipe = getRecipe(bundle.computation.recipe);
  const roles = Object.fromEntries(
    Object.entries(bundle.bindings).map(([role, c]) => [role, typeof c === 'string' ? [c] : [...c]]),
  );
  const n = bundle.evaluation.clear.n;
  // The stored parameters size the sensitivity (a weight scales a row's contribution); the evaluation must have
  // been computed with the same ones.
  const params = recipe.parseParams(bundle.params ?? undefined, { rows: bundle.rows });
  if (bundle.evaluation.params !== undefined && bundle.evaluation.params !== null) {
    const used = recipe.parseParams(bundle.evaluation.params, { rows: bundle.rows });
    if (asJson(used) !== asJson(params)) throw new Error('the evaluation was computed with other parameters');
  }
  const plan = recipe.plan({ roles, specs: bundle.specs, n, rows: bundle.rows }, params);
  const terms = releasedTerms(plan);
  return { terms, names: releasedNames(terms), sensitivity: releaseSensitivity(plan, bundle.specs), n };
}

/** JSON of parsed parameters, typed arrays as arrays. */
const asJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );

/** The recipe's answer from the noised aggregates (post-processing); `count` answers its noised n. */
function finishNoised(
  bundle: EvaluationBundle,
  names: readonly string[],
  noised: readonly string[],
): RecipeOutput {
  const values = Object.fromEntries(names.map((name, i) => [name, Number(noised[i])]));
  const stored = fromStoredEvaluation(bundle.evaluation);
  const noTerms = Object.keys(stored.outputs).length === 0;
  const result = {
    ...stored,
    params: bundle.params ?? stored.params ?? undefined,
    clear: noTerms ? { ...stored.clear, n: values.n } : stored.clear,
  } as unknown as JobResult;
  return plainOutput(finishJob(result, noTerms ? {} : values));
}

/** Typed arrays as plain arrays, so the answer is JSON. */
function plainOutput(output: RecipeOutput): RecipeOutput {
  const plain = (v: unknown): number | number[] =>
    ArrayBuffer.isView(v)
      ? Array.from(v as unknown as ArrayLike<number>)
      : Array.isArray(v)
        ? [...(v as number[])]
        : (v as number);
  if (typeof output === 'number' || Array.isArray(output) || ArrayBuffer.isView(output)) return plain(output);
  return Object.fromEntries(Object.entries(output).map(([k, v]) => [k, plain(v)]));
}

function releasedResult(
  bundle: EvaluationBundle,
  names: readonly string[],
  noised: readonly string[],
  resolution: string,
  output: RecipeOutput,
  rows: number,
  milliEpsilon: number,
  repeatOf?: string,
): ReleasedResult {
  return {
    format: 'exchange-released-result/1',
    computationId: bundle.computation.id,
    contractId: bundle.contract.id,
    recipe: bundle.computation.recipe,
    output,
    aggregates: Object.fromEntries(names.map((name, i) => [name, noised[i]])),
    resolution,
    rowsAggregated: rows,
    epsilonSpent: formatEpsilon(milliEpsilon),
    ...(repeatOf ? { repeatOf } : {}),
  };
}

/** ε in milli as a decimal string with three places ("1.000"). */
export function formatEpsilon(milli: number): string {
  return `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}`;
}

function policyRefusal(r: { code: string; reason: string }): AgentRefusal {
  const code = r.code === 'invalid_request' ? 'agent_refused' : (r.code as AgentRefusal['code']);
  return { code, reason: r.reason };
}

/** The sandbox's output hash: SHA-256 over `name:sha256` lines of the sorted output names. */
function outputDigest(bundle: EvaluationBundle): string {
  const outputs = bundle.evaluation.outputs;
  const text = Object.keys(outputs)
    .sort()
    .map((k) => `${k}:${outputs[k].sha256}`)
    .join('\n');
  return createHash('sha256').update(text).digest('hex');
}
