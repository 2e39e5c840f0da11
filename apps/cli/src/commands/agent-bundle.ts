import type { ComputationFilter, StoredEvaluation } from '@app/compute/core';
import type { ColumnSpec } from '@app/he/evaluation';
import type { TermsJson } from '@app/trading/core';

/** One earlier release of the contract as the platform reports it (`policy.history`). */
export interface PlatformRelease {
  readonly computationId: string;
  readonly queryKey: string;
  readonly rowSet: readonly (readonly [number, number])[];
  readonly epsilonMilli: number;
}

/**
 * What `GET /v1/computations/{id}/evaluation` serves the dataset's merchant: the encrypted aggregates and
 * everything the agent re-checks before it decrypts. Every field comes from the platform, which the agent does
 * not trust further than it can check (the terms against their hash and the merchant's signature, the history
 * against its own journal).
 */
export interface EvaluationBundle {
  readonly computation: {
    readonly id: string;
    readonly contractId: string;
    readonly recipe: string;
    readonly state: string;
  };
  readonly evaluation: StoredEvaluation;
  readonly rows: number;
  readonly specs: Readonly<Record<string, ColumnSpec>>;
  readonly bindings: Readonly<Record<string, string | readonly string[]>>;
  readonly params: unknown;
  readonly filters: readonly ComputationFilter[];
  readonly rowSet: readonly (readonly [number, number])[];
  readonly queryKey: string;
  readonly policy: {
    readonly minRows: number;
    readonly epsilonMilli: number;
    readonly budgetMilli: number;
    readonly spentMilli: number;
    readonly history: readonly PlatformRelease[];
  };
  readonly contract: {
    readonly id: string;
    readonly termsHash: string;
    readonly terms: TermsJson;
    readonly buyerOrganisationId: string;
    readonly merchantOrganisationId: string;
    readonly merchantSigner: string | null;
    readonly merchantSignature: string | null;
  };
  readonly buyerResultKey: { readonly publicKey: string; readonly keyId: string };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * The bundle's shape checked field by field (it crosses the network as JSON), or an Error saying what is wrong.
 * Values are checked later, against the terms, the journal and the policy.
 */
export function parseEvaluationBundle(value: unknown): EvaluationBundle {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  if (!isObject(value)) throw new Error('the evaluation bundle is not a JSON object');
  const b = value;
  const c = b.computation;
  need(
    isObject(c) &&
      typeof c.id === 'string' &&
      typeof c.contractId === 'string' &&
      typeof c.recipe === 'string',
    'computation',
  );
  const e = b.evaluation;
  need(
    isObject(e) &&
      e.format === 'exchange-evaluation/1' &&
      isObject(e.outputs) &&
      isObject(e.clear) &&
      typeof e.recipe === 'string',
    'evaluation (exchange-evaluation/1)',
  );
  need(isCount(b.rows), 'rows');
  need(isObject(b.specs), 'specs');
  need(isObject(b.bindings), 'bindings');
  need(Array.isArray(b.filters), 'filters');
  need(Array.isArray(b.rowSet), 'rowSet');
  need(typeof b.queryKey === 'string' && b.queryKey.length > 0, 'queryKey');
  const p = b.policy;
  need(
    isObject(p) &&
      isCount(p.minRows) &&
      isCount(p.epsilonMilli) &&
      isCount(p.budgetMilli) &&
      isCount(p.spentMilli) &&
      Array.isArray(p.history) &&
      p.history.every(
        (h) =>
          isObject(h) &&
          typeof h.computationId === 'string' &&
          typeof h.queryKey === 'string' &&
          Array.isArray(h.rowSet) &&
          isCount(h.epsilonMilli),
      ),
    'policy',
  );
  const k = b.contract;
  need(
    isObject(k) &&
      typeof k.id === 'string' &&
      typeof k.termsHash === 'string' &&
      isObject(k.terms) &&
      Array.isArray(k.terms.columns) &&
      Array.isArray(k.terms.recipes) &&
      (k.merchantSignature === null ||
        k.merchantSignature === undefined ||
        typeof k.merchantSignature === 'string'),
    'contract',
  );
  const r = b.buyerResultKey;
  need(isObject(r) && typeof r.publicKey === 'string' && typeof r.keyId === 'string', 'buyerResultKey');
  if (problems.length) throw new Error(`the evaluation bundle is malformed: ${problems.join(', ')}`);
  const contract = k as Record<string, unknown>;
  return {
    ...(b as unknown as EvaluationBundle),
    contract: {
      ...(contract as unknown as EvaluationBundle['contract']),
      merchantSigner: typeof contract.merchantSigner === 'string' ? contract.merchantSigner : null,
      merchantSignature: typeof contract.merchantSignature === 'string' ? contract.merchantSignature : null,
    },
  };
}
