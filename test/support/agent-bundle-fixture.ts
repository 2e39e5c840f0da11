import type { StoredEvaluation } from '@app/compute/core';
import type { ColumnSpec } from '@app/he/evaluation';
import { resultKeyId, toBase64Url, type ResultKeyPair } from '@app/results/core';
import { termsHash, termsToJson } from '@app/trading/core';

/**
 * What the release agent's tests serve from a stand-in for the platform's routes: one integer column `v`, a
 * per-computation contract allowing `sum` on it, and the evaluation bundle of `GET /v1/computations/{id}/evaluation`
 * as the platform shapes it (docs/computations.md).
 */
export const AGENT_SPECS: ColumnSpec[] = [{ name: 'v', kind: 'integer', min: 0, max: 100 }];

export const AGENT_TERMS = termsToJson({
  purpose: '交通规划',
  columns: ['v'],
  recipes: ['sum'],
  delivery: 'compute',
  billingUnit: 'per-computation',
  priceFen: 100n,
  periodDays: 30,
  computations: 3,
});

export function stubBundle(b: {
  id: string;
  evaluation: StoredEvaluation;
  rows: number;
  buyer: ResultKeyPair;
  recipe?: string;
  bindings?: Record<string, string>;
}) {
  const recipe = b.recipe ?? 'sum';
  return {
    computation: { id: b.id, contractId: 'k-1', recipe, state: 'evaluated' },
    evaluation: { ...b.evaluation, recipe },
    rows: b.rows,
    specs: { v: AGENT_SPECS[0] },
    bindings: b.bindings ?? { x: 'v' },
    params: null,
    filters: [],
    rowSet: [[0, b.rows]],
    queryKey: `q-${b.id}`,
    policy: { minRows: 10, epsilonMilli: 1000, budgetMilli: 10_000, spentMilli: 0, history: [] },
    contract: {
      id: 'k-1',
      termsHash: termsHash({ ...AGENT_TERMS, priceFen: BigInt(AGENT_TERMS.priceFen) }),
      terms: AGENT_TERMS,
      buyerOrganisationId: 'org-b',
      merchantOrganisationId: 'org-m',
      merchantSigner: null,
      merchantSignature: null,
    },
    buyerResultKey: { publicKey: toBase64Url(b.buyer.publicKey), keyId: resultKeyId(b.buyer.publicKey) },
  };
}
