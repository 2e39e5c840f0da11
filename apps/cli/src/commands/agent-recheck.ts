import { getAddress, verifyTypedData } from 'ethers';
import {
  MIN_ROWS_FLOOR,
  isNormalRowSet,
  rowSetSize,
  type OutputPolicy,
  type PrivacyBudget,
  type ReleaseRecord,
} from '@app/compute';
import { CONTRACT_DOMAIN, CONTRACT_TYPES, termsFromJson, termsHash } from '@app/trading/core';
import type { EvaluationBundle } from './agent-bundle.js';
import { journalSpentMilli, type AgentJournal } from './agent-journal.js';

/** A refusal the agent posts (`POST …/refuse`): a policy code, or `agent_refused` for what the platform got wrong. */
export interface AgentRefusal {
  readonly code:
    | 'recipe_not_in_contract'
    | 'column_not_in_contract'
    | 'below_min_rows'
    | 'differencing'
    | 'budget_exhausted'
    | 'agent_refused';
  readonly reason: string;
}

const refusal = (code: AgentRefusal['code'], reason: string): AgentRefusal => ({ code, reason });

/**
 * Scope, before anything is decrypted: the terms must hash to the contract's terms hash (a platform that widened
 * the terms is caught here, and by the signature over that hash), the recipe and every bound column must be in the
 * terms, and the evaluation must be of this recipe over the bundle's row set.
 */
export function checkScope(bundle: EvaluationBundle): AgentRefusal | undefined {
  const { contract, computation, evaluation } = bundle;
  let recomputed: string;
  try {
    recomputed = termsHash(termsFromJson(contract.terms));
  } catch {
    return refusal('agent_refused', `the terms served for contract ${contract.id} are malformed`);
  }
  if (recomputed !== contract.termsHash) {
    return refusal(
      'agent_refused',
      `the terms served for contract ${contract.id} hash to ${recomputed}, not to its terms hash ${contract.termsHash}`,
    );
  }
  if (computation.contractId !== contract.id) {
    return refusal(
      'agent_refused',
      `the computation belongs to contract ${computation.contractId}, not ${contract.id}`,
    );
  }
  if (!contract.terms.recipes.includes(computation.recipe)) {
    return refusal('recipe_not_in_contract', `recipe ${computation.recipe} is not in the contract's terms`);
  }
  const bound = Object.values(bundle.bindings).flatMap((c) => (typeof c === 'string' ? [c] : [...c]));
  const outside = bound.filter((c) => !contract.terms.columns.includes(c));
  if (bound.length === 0 || outside.length > 0) {
    return refusal(
      'column_not_in_contract',
      bound.length === 0
        ? 'no column is bound'
        : `column(s) ${outside.join(', ')} are not in the contract's terms`,
    );
  }
  if (evaluation.recipe !== computation.recipe) {
    return refusal(
      'agent_refused',
      `the evaluation is of recipe ${evaluation.recipe}, not ${computation.recipe}`,
    );
  }
  if (!isNormalRowSet(bundle.rowSet)) return refusal('agent_refused', 'the row set is malformed');
  const n = rowSetSize(bundle.rowSet);
  if (bundle.rowSet.some(([, end]) => end > bundle.rows) || evaluation.clear.n !== n) {
    return refusal(
      'agent_refused',
      `the evaluation aggregated ${String(evaluation.clear.n)} rows, the row set names ${n} of ${bundle.rows}`,
    );
  }
  return undefined;
}

/**
 * When the contract carries the merchant's signature: the EIP-712 typed data the platform serves for the contract
 * (`GET /v1/contracts/{id}`) must state these terms (their hash, parties, columns and recipes) and recover to
 * `merchantSigner`. A platform cannot then serve terms the merchant did not sign.
 */
export function checkMerchantSignature(
  bundle: EvaluationBundle,
  message: Readonly<Record<string, unknown>> | undefined,
): AgentRefusal | undefined {
  const { contract } = bundle;
  if (!contract.merchantSignature) return undefined;
  if (!contract.merchantSigner || !message) {
    return refusal(
      'agent_refused',
      `contract ${contract.id} is signed but its signer or typed data is missing`,
    );
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const stated: [string, unknown][] = [
    ['contractId', contract.id],
    ['termsHash', contract.termsHash],
    ['buyer', contract.buyerOrganisationId],
    ['merchant', contract.merchantOrganisationId],
    ['columns', contract.terms.columns],
    ['recipes', contract.terms.recipes],
  ];
  const differs = stated.filter(([field, value]) => !same(message[field], value)).map(([f]) => f);
  if (differs.length > 0) {
    return refusal(
      'agent_refused',
      `the contract's typed data differs from the bundle in ${differs.join(', ')}`,
    );
  }
  let signer: string;
  try {
    signer = getAddress(
      verifyTypedData(
        CONTRACT_DOMAIN,
        CONTRACT_TYPES,
        message as Record<string, unknown>,
        contract.merchantSignature,
      ),
    );
  } catch {
    return refusal('agent_refused', `the merchant's signature on contract ${contract.id} is malformed`);
  }
  let expected: string;
  try {
    expected = getAddress(contract.merchantSigner);
  } catch {
    return refusal('agent_refused', `the merchant signer ${contract.merchantSigner} is not an address`);
  }
  if (signer !== expected) {
    return refusal(
      'agent_refused',
      `the merchant's signature on these terms recovers to ${signer}, not to the merchant signer ${expected}`,
    );
  }
  return undefined;
}

/** What `evaluateRelease` is given: the agent's view of the contract, never laxer than its own journal. */
export interface PolicyView {
  readonly policy: OutputPolicy;
  readonly budget: PrivacyBudget;
  /** Journal releases first (they carry noised values, so a repeat re-seals them), then the platform's others. */
  readonly history: readonly ReleaseRecord[];
  /** Releases only the platform reported: their noised values are unknown here, so a repeat of one is refused. */
  readonly platformOnly: ReadonlySet<string>;
  readonly epsilonMilli: number;
  readonly seen: { budgetMilli: number; minRows: number };
}

/**
 * Merges the platform's policy with the agent's journal: k = the larger of the bundle's, the journal's first-seen
 * and the floor of 10; the budget = the smaller of the bundle's and the journal's first-seen; the history = the
 * union of both (by computation); the spend = the larger of the platform's and the union's, so a platform that
 * under-reports its history or spend cannot make the agent overspend.
 */
export function policyView(bundle: EvaluationBundle, journal: AgentJournal): PolicyView {
  const contractId = bundle.contract.id;
  const mine = journal.contracts[contractId];
  const minRows = Math.max(MIN_ROWS_FLOOR, bundle.policy.minRows, mine?.minRows ?? 0);
  const budgetMilli = Math.min(bundle.policy.budgetMilli, mine?.budgetMilli ?? Infinity);
  const history: ReleaseRecord[] = [];
  const known = new Set<string>();
  for (const e of mine?.entries ?? []) {
    if (e.kind !== 'release') continue;
    known.add(e.computationId);
    history.push({
      releaseId: e.computationId,
      queryKey: e.queryKey,
      rowSet: e.rowSet,
      resolution: e.resolution,
      noisedValues: e.noisedValues,
      milliEpsilon: e.milliEpsilon,
    });
  }
  const platformOnly = new Set<string>();
  for (const h of bundle.policy.history) {
    if (known.has(h.computationId)) continue;
    known.add(h.computationId);
    platformOnly.add(h.computationId);
    history.push({
      releaseId: h.computationId,
      queryKey: h.queryKey,
      rowSet: h.rowSet,
      resolution: '1',
      noisedValues: [],
      milliEpsilon: h.epsilonMilli,
    });
  }
  const unionSpent = history.reduce((s, r) => s + r.milliEpsilon, 0);
  const spent = Math.min(
    budgetMilli,
    Math.max(bundle.policy.spentMilli, unionSpent, journalSpentMilli(journal, contractId)),
  );
  const budget: PrivacyBudget = {
    contractId,
    totalMilliEpsilon: budgetMilli,
    spentMilliEpsilon: spent,
    releases: spent > 0 ? [{ releaseId: 'spent-before-this-release', milliEpsilon: spent }] : [],
  };
  return {
    policy: { contractId, minRows },
    budget,
    history,
    platformOnly,
    epsilonMilli: bundle.policy.epsilonMilli,
    seen: { budgetMilli, minRows },
  };
}
