import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { BLOB_STORE, type BlobStore } from '@app/blobs';
import { Clock, Conflict, DomainError, NotFound, ValidationFailed } from '@app/core';
import { UnitOfWork } from '@app/database';
import { Dataset } from '@app/datasets';
import type { ColumnSpec } from '@app/he/evaluation';
import { actorOf, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { ResultKey, ResultEnvelopeError, parseResultEnvelope, type ResultEnvelope } from '@app/results';
import { Contract, ContractDeliveryService, isMetered } from '@app/trading';
import { canonicalJson, readBlob, refusal, sha256Hex } from './computation-support.js';
import { COMPUTATION_CODES, type ComputationCode, type StoredEvaluation } from './core/index.js';
import { Computation } from './entities/computation.entity.js';

/** What the data holder's agent needs to release one evaluated computation (flow step 3). */
export interface EvaluationBundle {
  computation: Computation;
  evaluation: StoredEvaluation;
  rows: number;
  specs: Record<string, ColumnSpec>;
  bindings: Record<string, string | string[]>;
  params: unknown;
  filters: Computation['filters'];
  rowSet: [number, number][];
  queryKey: string;
  policy: {
    minRows: number;
    epsilonMilli: number;
    budgetMilli: number;
    spentMilli: number;
    history: { computationId: string; queryKey: string; rowSet: [number, number][]; epsilonMilli: number }[];
  };
  contract: {
    id: string;
    termsHash: string;
    terms: Contract['terms'];
    buyerOrganisationId: string;
    merchantOrganisationId: string;
    merchantSigner: string | null;
    merchantSignature: string | null;
  };
  buyerResultKey: { publicKey: string; keyId: string };
}

/** Codes the agent may refuse with: the output policy's and its own. */
export const AGENT_REFUSAL_CODES: readonly ComputationCode[] = [
  'below_min_rows',
  'differencing',
  'budget_exhausted',
  'recipe_not_in_contract',
  'column_not_in_contract',
  'agent_refused',
];

/** The twin of a release committed first with the same envelope: nothing more to do. */
class AlreadyReleased extends DomainError {
  constructor() {
    super('conflict', 'already_released', 'the computation was released already');
  }
}

/**
 * The data holder's side of a computation (flow step 3): the evaluation bundle for the dataset's merchant, the
 * release and the refusal. Only the merchant's organisation of the computation reaches these (404 for anyone else:
 * operators and regulators never get the encrypted aggregates).
 */
@Injectable()
export class ComputationReleaseService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly delivery: ContractDeliveryService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async bundle(principal: Principal, id: string): Promise<EvaluationBundle> {
    const { computation, contract, dataset, key, history } = await this.uow.read(async (em) => {
      const computation = await this.merchantsOwn(em, principal, id);
      if (computation.state !== 'evaluated' || !computation.evaluationSha256)
        throw new Conflict(
          `the computation is ${computation.state}; its evaluation is served while it is evaluated`,
          'not_evaluated',
        );
      const contract = await em.findOneOrFail(Contract, { id: computation.contractId });
      const dataset = await em.findOneOrFail(Dataset, { id: computation.datasetId });
      const key = await em.findOne(ResultKey, { organisationId: computation.buyerOrganisationId });
      const history = await em.find(
        Computation,
        { contractId: contract.id, state: 'released', repeatOf: null },
        { orderBy: { finishedAt: 'asc', id: 'asc' } },
      );
      return { computation, contract, dataset, key, history };
    });
    if (!key)
      throw refusal('no_result_key', "the buyer's result key is gone; the result cannot be sealed to it");
    const evaluation = JSON.parse(
      (await readBlob(this.blobs, computation.evaluationSha256!)).toString('utf8'),
    ) as StoredEvaluation;
    const params = computation.paramsSha256
      ? (JSON.parse((await readBlob(this.blobs, computation.paramsSha256)).toString('utf8')) as unknown)
      : null;
    return {
      computation,
      evaluation,
      rows: dataset.rowCount,
      specs: Object.fromEntries(Object.entries(computation.jobSpec.columns).map(([n, c]) => [n, c.spec])),
      bindings: computation.bindings,
      params,
      filters: computation.filters,
      rowSet: computation.rowSet,
      queryKey: computation.queryKey,
      policy: {
        minRows: computation.minRows,
        epsilonMilli: computation.epsilonMilli,
        budgetMilli: contract.epsilonBudgetMilli,
        spentMilli: contract.epsilonSpentMilli,
        history: history.map((c) => ({
          computationId: c.id,
          queryKey: c.queryKey,
          rowSet: c.rowSet,
          epsilonMilli: c.epsilonSpentMilli ?? c.epsilonMilli,
        })),
      },
      contract: {
        id: contract.id,
        termsHash: contract.termsHash,
        terms: contract.terms,
        buyerOrganisationId: contract.buyerOrganisationId,
        merchantOrganisationId: contract.merchantOrganisationId,
        merchantSigner: contract.merchantSigner ?? null,
        merchantSignature: contract.merchantSignature ?? null,
      },
      buyerResultKey: { publicKey: key.publicKey, keyId: key.keyId },
    };
  }

  /**
   * Releases an evaluated computation with the sealed result the agent made. Preconditions: the envelope is the
   * agent's HPKE seal to the buyer's registered key, bound to this computation and contract (checked here); the
   * platform stores it as a blob and never opens it (P4). In ONE transaction: evaluated → released (conditional),
   * the contract's ε spend (conditional: never past its budget, else 422 `budget_exhausted`), the
   * `computation.released` ledger entry and, for a per-computation contract, one metered unit (money and
   * `contract.metered`). Idempotent: the same envelope again is 200 and charges nothing; another envelope on a
   * released computation is 409 `already_released`.
   */
  async release(
    principal: Principal,
    id: string,
    input: { envelope: unknown; epsilonSpentMilli: number },
  ): Promise<Computation> {
    let envelope: ResultEnvelope;
    try {
      envelope = parseResultEnvelope(input.envelope);
    } catch (error) {
      if (error instanceof ResultEnvelopeError) throw new ValidationFailed(error.message, error.code);
      throw error;
    }
    const { computation, contract, keyId } = await this.uow.read(async (em) => {
      const computation = await this.merchantsOwn(em, principal, id);
      const contract = await em.findOneOrFail(Contract, { id: computation.contractId });
      const key = await em.findOne(ResultKey, { organisationId: computation.buyerOrganisationId });
      return { computation, contract, keyId: key?.keyId ?? null };
    });
    const bytes = Buffer.from(canonicalJson(envelope), 'utf8');
    const resultSha256 = sha256Hex(bytes);
    if (computation.state === 'released') return this.sameRelease(computation, resultSha256);
    if (computation.state !== 'evaluated')
      throw new Conflict(
        `the computation is ${computation.state}; only an evaluated one is released`,
        'not_evaluated',
      );
    if (envelope.computationId !== id || envelope.contractId !== contract.id)
      throw new ValidationFailed('the envelope is bound to another computation or contract', 'wrong_binding');
    if (envelope.keyId !== keyId)
      throw new ValidationFailed(
        "the envelope is not sealed to the buyer's registered result key",
        'wrong_key',
      );
    const spent = input.epsilonSpentMilli;
    if (!Number.isSafeInteger(spent) || spent < 1 || spent > computation.epsilonMilli)
      throw new ValidationFailed(
        `epsilonSpentMilli is a whole number from 1 to ${computation.epsilonMilli} (this computation's ε per release)`,
        'invalid_epsilon',
      );
    await this.blobs.put(bytes, { expectedSha256: resultSha256 });
    const actor = { accountId: principal.accountId, organisationId: principal.organisationId };
    const step = async (em: EntityManager, unit: number | null): Promise<void> => {
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Computation,
        { id, state: 'evaluated' },
        {
          state: 'released',
          resultSha256,
          epsilonSpentMilli: spent,
          meteredUnit: unit,
          finishedAt: now,
          updatedAt: now,
        },
      );
      if (moved === 0) throw new AlreadyReleased();
      // Conditional spend: of parallel releases on one contract, those the budget cannot take change nothing.
      const spend = await em
        .getConnection()
        .execute<{ affectedRows?: number; changes?: number }>(
          `update "contracts" set "epsilon_spent_milli" = "epsilon_spent_milli" + ?, "updated_at" = ?
             where "id" = ? and "epsilon_spent_milli" + ? <= "epsilon_budget_milli"`,
          [spent, now, contract.id, spent],
          'run',
          em.getTransactionContext(),
        )
        .then((r) => r.affectedRows ?? r.changes ?? 0);
      if (spend === 0)
        throw refusal(
          'budget_exhausted',
          `the contract's ε budget has no ${spent / 1000} left for this release`,
        );
      await this.ledger.record(em, [
        {
          actor,
          action: 'computation.released',
          subjectIds: [id, contract.id],
          payload: {
            computationId: id,
            contractId: contract.id,
            resultSha256,
            epsilonSpentMilli: spent,
            rowsAggregated: computation.rowsAggregated,
            outputSha256: computation.outputSha256 ?? null,
            meteredUnit: unit,
          },
        },
      ]);
    };
    try {
      if (isMetered(contract) && contract.amountFen > 0n)
        await this.delivery.meter(contract.id, id, actor, { within: (em, unit) => step(em, unit) });
      else await this.uow.run((em) => step(em, null));
    } catch (error) {
      if (!(error instanceof AlreadyReleased)) throw error;
    }
    const after = await this.uow.read((em) => em.findOneOrFail(Computation, { id }));
    return this.sameRelease(after, resultSha256);
  }

  /** Refuses an evaluated computation with a policy code or `agent_refused`; the same refusal again is 200. */
  async refuse(
    principal: Principal,
    id: string,
    input: { code: string; reason: string },
  ): Promise<Computation> {
    const code = input.code as ComputationCode;
    if (!COMPUTATION_CODES.includes(code) || !AGENT_REFUSAL_CODES.includes(code))
      throw new ValidationFailed(`code is one of ${AGENT_REFUSAL_CODES.join(', ')}`, 'invalid_code');
    return this.uow.run(async (em) => {
      const computation = await this.merchantsOwn(em, principal, id);
      const now = this.clock.now();
      const moved = await em.nativeUpdate(
        Computation,
        { id, state: 'evaluated' },
        { state: 'refused', reasonCode: code, reason: input.reason, finishedAt: now, updatedAt: now },
      );
      if (moved === 0) {
        const current = await em.findOneOrFail(Computation, { id }, { refresh: true });
        if (current.state === 'refused' && current.reasonCode === code) return current;
        throw new Conflict(
          `the computation is ${current.state}; only an evaluated one is refused`,
          'not_evaluated',
        );
      }
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'computation.refused',
          subjectIds: [id, computation.contractId],
          payload: {
            computationId: id,
            contractId: computation.contractId,
            code,
            by: 'agent',
            reason: input.reason,
          },
        },
      ]);
      return em.findOneOrFail(Computation, { id }, { refresh: true });
    });
  }

  private sameRelease(computation: Computation, resultSha256: string): Computation {
    if (computation.state === 'released' && computation.resultSha256 === resultSha256) return computation;
    throw new Conflict('the computation was released with another sealed result', 'already_released');
  }

  private async merchantsOwn(em: EntityManager, principal: Principal, id: string): Promise<Computation> {
    const c = await em.findOne(Computation, { id });
    if (!c || c.merchantOrganisationId !== principal.organisationId) throw new NotFound('computation');
    return c;
  }
}
