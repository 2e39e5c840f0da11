import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { LockMode } from '@mikro-orm/core';
import { BLOB_STORE, type BlobStore } from '@app/blobs';
import { Listing, ListingAsset } from '@app/catalog';
import { APP_CONFIG, Clock, NotFound, newId, type AppConfig } from '@app/core';
import { UnitOfWork, sqlKindOf } from '@app/database';
import { Dataset, layoutOf } from '@app/datasets';
import { indicatorSpec, type ColumnSpec, type ParamSetId } from '@app/he/evaluation';
import { actorOf, type Principal } from '@app/identity';
import { JobQueue, jobIdFor } from '@app/jobs';
import { LedgerRecorder } from '@app/ledger';
import { ResultKey } from '@app/results';
import { Contract, grantsAccess, isMetered } from '@app/trading';
import { getRecipe } from '../../../sandbox/catalogue.js';
import {
  canonicalJson,
  passes,
  publicColumnValues,
  readBlob,
  refusal,
  sha256Hex,
} from './computation-support.js';
import type { ComputationFilter, ComputationJobSpec, ComputationState } from './core/index.js';
import { Computation } from './entities/computation.entity.js';
import { MIN_ROWS_FLOOR } from './policy/index.js';
import { rowSetFromIds, rowSetSize, symmetricDifferenceSize, type RowSet } from './policy/row-set.js';

/** The job that evaluates a computation (payload `{computationId}`). */
export const EVALUATE_JOB = 'computation.evaluate';

/** What a buyer submits. */
export interface ComputationRequest {
  contractId: string;
  recipe: string;
  bindings: Record<string, string | string[]>;
  params?: unknown;
  filters?: ComputationFilter[];
  datasetId?: string;
}

export interface Submission {
  computation: Computation;
  /** false: a repeat answered with the earlier released computation (nothing queued, spent or charged). */
  created: boolean;
}

/** States whose row sets count for the differencing check (released, or on their way to a release). */
const LIVE_STATES = ['queued', 'running', 'evaluated', 'released'] as const;
const PENDING_STATES = ['queued', 'running', 'evaluated'] as const;

/**
 * Computation requests (issue 11 item 3, flow step 1). `submit` runs every platform pre-check in one transaction
 * under the contract's row lock (so two submissions on one contract see each other: differencing and the units
 * left hold under concurrency), then writes the computation `queued`, its parameters as a blob and its
 * `computation.requested` ledger entry, and after the commit enqueues its evaluation. A refusal is 422 with a code
 * of `COMPUTATION_CODES` and writes nothing.
 *
 * Check order (leaks least first): the contract is the caller's (else 404, like a contract that does not exist),
 * then its state and period, units left, the recipe, the columns, the dataset, the filters, the buyer's result key,
 * the parameters, and only then anything computed from the data (rows selected, repeats, budget, differencing).
 */
@Injectable()
export class ComputationService {
  private readonly logger = new Logger('compute');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(principal: Principal, request: ComputationRequest): Promise<Submission> {
    const submission = await this.uow.run((em) => this.check(em, principal, request));
    if (submission.created) await this.enqueue(submission.computation.id);
    return submission;
  }

  /**
   * Puts a computation's evaluation on the queue under its deterministic job id (a second enqueue is a no-op). A
   * failure (Redis down) is logged: the computation stays `queued` and the sweep enqueues it again.
   */
  async enqueue(computationId: string): Promise<boolean> {
    try {
      await this.queue.enqueue(EVALUATE_JOB, { computationId }, jobIdFor(EVALUATE_JOB, computationId));
      return true;
    } catch (error) {
      this.logger.warn(
        `computation ${computationId} stays queued, the sweep enqueues it again: ${(error as Error).message}`,
      );
      return false;
    }
  }

  /**
   * Enqueues again every computation left `queued` for more than `olderThanMs` (its enqueue failed after the commit,
   * e.g. Redis was down). The job id is deterministic, so a job still on the queue is not duplicated.
   */
  async requeueStale(olderThanMs = 60_000, limit = 500): Promise<{ requeued: number; failed: number }> {
    const before = new Date(this.clock.now().getTime() - olderThanMs);
    const stale = await this.uow.read((em) =>
      em.find(
        Computation,
        { state: 'queued', queuedAt: { $lt: before } },
        { orderBy: { queuedAt: 'asc', id: 'asc' }, limit, fields: ['id'] },
      ),
    );
    let requeued = 0;
    for (const c of stale) if (await this.enqueue(c.id)) requeued++;
    return { requeued, failed: stale.length - requeued };
  }

  private async check(
    em: EntityManager,
    principal: Principal,
    request: ComputationRequest,
  ): Promise<Submission> {
    const contract = await em.findOne(
      Contract,
      { id: request.contractId },
      sqlKindOf(em) === 'sqlite' ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!contract || contract.buyerOrganisationId !== principal.organisationId)
      throw new NotFound('contract');
    const now = this.clock.now();
    if (contract.terms.delivery !== 'compute')
      throw refusal('recipe_not_in_contract', 'this contract delivers a file, not computations');
    if (contract.state !== 'active')
      throw refusal(
        'contract_not_active',
        `the contract is ${contract.state}; computations run on an active one`,
      );
    if (!grantsAccess(contract, now))
      throw refusal(
        'contract_period_ended',
        `the contract's period of use ended at ${contract.endsAt?.toISOString() ?? '?'}`,
      );
    if (isMetered(contract)) {
      // Counted from the computations, not the contract's metered units: a free contract meters no money, and its
      // units are used all the same. The contract's row lock orders concurrent submissions.
      const units = contract.terms.computations ?? 0;
      const count = (states: readonly ComputationState[]) =>
        em.count(Computation, { contractId: contract.id, state: { $in: [...states] } });
      const [released, pending] = [await count(['released']), await count(PENDING_STATES)];
      if (released + pending >= units)
        throw refusal(
          'no_computations_left',
          `the contract bought ${units} computation(s): ${released} released, ${pending} pending`,
        );
    }
    const listing = await em.findOneOrFail(Listing, { id: contract.listingId });
    const allowed = listing.recipes.find((r) => r.recipe === request.recipe);
    if (!contract.terms.recipes.includes(request.recipe) || !allowed)
      throw refusal(
        'recipe_not_in_contract',
        `recipe ${request.recipe} is not in the contract's terms (${contract.terms.recipes.join(', ')})`,
        'DS 35',
      );
    const recipe = getRecipe(request.recipe);
    const bound = boundColumns(recipe, request.bindings);
    for (const column of bound.all) {
      if (!contract.terms.columns.includes(column) || !allowed.columns.includes(column))
        throw refusal(
          'column_not_in_contract',
          `column ${column} is not in the contract's terms for ${request.recipe}`,
          'DS 35',
        );
    }
    const dataset = await this.datasetOf(em, listing, request.datasetId);
    const manifestColumns = new Map(dataset.manifest.columns.map((c) => [c.name, c]));
    for (const column of bound.all) {
      const declared = manifestColumns.get(column);
      if (!declared?.encrypted || !declared.spec)
        throw refusal('bad_bindings', `column ${column} is not an encrypted column of dataset ${dataset.id}`);
    }
    const filters = request.filters ?? [];
    for (const filter of filters) {
      const declared = manifestColumns.get(filter.column);
      if (!declared || declared.encrypted)
        throw refusal(
          'bad_filter',
          `filters read public columns only; ${filter.column} is not a public column of dataset ${dataset.id}`,
        );
      checkFilterValue(filter);
    }
    const key = await em.findOne(ResultKey, { organisationId: contract.buyerOrganisationId });
    if (!key)
      throw refusal(
        'no_result_key',
        'register a result key first (exchange keys init --for results): results are sealed to it',
      );
    const rows = dataset.rowCount;
    try {
      recipe.parseParams(request.params, { rows });
    } catch (error) {
      throw refusal('bad_params', `parameters of ${request.recipe}: ${(error as Error).message}`);
    }
    const layout = layoutOf(dataset.manifest);
    const rowSet = await this.select(filters, layout.publicColumns, rows);
    const selected = rowSetSize(rowSet);
    const k = Math.max(listing.minRows ?? 0, MIN_ROWS_FLOOR, recipe.minRows);
    if (selected < k)
      throw refusal(
        'below_min_rows',
        `the filters select ${selected} row(s); a release aggregates at least ${k}`,
        'DS 56',
      );

    const paramsJson = request.params === undefined ? null : canonicalJson(request.params);
    const paramsSha256 = paramsJson === null ? null : sha256Hex(paramsJson);
    const queryKey = sha256Hex(
      canonicalJson({ recipe: request.recipe, bindings: request.bindings, paramsSha256 }),
    );
    const earlier = await em.find(
      Computation,
      { contractId: contract.id, state: { $in: [...LIVE_STATES] } },
      { orderBy: { queuedAt: 'asc', id: 'asc' } },
    );
    const rowSetJson = JSON.stringify(rowSet);
    const repeat = earlier.find(
      (c) =>
        c.state === 'released' &&
        c.queryKey === queryKey &&
        c.datasetId === dataset.id &&
        JSON.stringify(c.rowSet) === rowSetJson,
    );
    if (repeat) return { computation: repeat, created: false };

    const epsilonMilli = listing.epsilonPerReleaseMilli ?? this.config.compute.epsilonPerReleaseMilli;
    if (contract.epsilonSpentMilli + epsilonMilli > contract.epsilonBudgetMilli)
      throw refusal(
        'budget_exhausted',
        `a release spends ε ${epsilonMilli / 1000}; the contract has ${(contract.epsilonBudgetMilli - contract.epsilonSpentMilli) / 1000} of ${contract.epsilonBudgetMilli / 1000} left`,
      );
    for (const other of earlier) {
      const d = symmetricDifferenceSize(rowSet, other.rowSet);
      if (d > 0 && d < k)
        throw refusal(
          'differencing',
          `the rows differ from those of computation ${other.id} (${other.state}) by ${d} row(s); ` +
            `two results may not differ by fewer than ${k} rows`,
          'DS 56',
        );
    }

    if (paramsJson !== null)
      await this.blobs.put(Buffer.from(paramsJson, 'utf8'), { expectedSha256: paramsSha256! });
    const id = newId();
    const jobSpec = jobSpecOf(id, request, recipe, dataset, layout, paramsSha256, filters);
    const computation = em.create(Computation, {
      id,
      contractId: contract.id,
      datasetId: dataset.id,
      buyerOrganisationId: contract.buyerOrganisationId,
      merchantOrganisationId: contract.merchantOrganisationId,
      submittedByAccountId: principal.accountId,
      recipe: request.recipe,
      bindings: request.bindings,
      filters,
      paramsSha256,
      queryKey,
      jobSpec,
      rowSet: rowSet.map(([s, e]): [number, number] => [s, e]),
      rowsAggregated: selected,
      minRows: k,
      epsilonMilli,
      state: 'queued',
      reasonCode: null,
      reason: null,
      attempt: 0,
      evaluationSha256: null,
      outputSha256: null,
      inputsSha256: null,
      resultSha256: null,
      epsilonSpentMilli: null,
      meteredUnit: null,
      repeatOf: null,
      queuedAt: now,
      startedAt: null,
      evaluatedAt: null,
      finishedAt: null,
      updatedAt: now,
    });
    await em.flush();
    await this.ledger.record(em, [
      {
        actor: actorOf(principal),
        action: 'computation.requested',
        subjectIds: [id, contract.id, dataset.id],
        payload: {
          computationId: id,
          contractId: contract.id,
          datasetId: dataset.id,
          recipe: request.recipe,
          queryKey,
          rowSetSha256: sha256Hex(rowSetJson),
          rows: selected,
          paramsSha256,
          epsilonMilli,
        },
      },
    ]);
    return { computation, created: true };
  }

  /** The given dataset (a ready version of an asset of the listing) or the newest ready one of its first asset. */
  private async datasetOf(em: EntityManager, listing: Listing, datasetId?: string): Promise<Dataset> {
    const assets = await em.find(ListingAsset, { listingId: listing.id }, { orderBy: { position: 'asc' } });
    const assetIds = assets.map((a) => a.assetId);
    if (datasetId !== undefined) {
      const dataset = await em.findOne(Dataset, {
        id: datasetId,
        state: 'ready',
        assetId: { $in: assetIds },
      });
      if (!dataset)
        throw refusal(
          'no_dataset',
          `dataset ${datasetId} is not a ready version of an asset of this listing`,
        );
      return dataset;
    }
    for (const assetId of assetIds) {
      const newest = await em.findOne(Dataset, { assetId, state: 'ready' }, { orderBy: { version: 'desc' } });
      if (newest) return newest;
    }
    throw refusal(
      'no_dataset',
      "the merchant has not uploaded an encrypted dataset of this listing's assets yet",
    );
  }

  /** The rows every filter passes, computed from the public columns' stored values. */
  private async select(
    filters: readonly ComputationFilter[],
    publicColumns: Record<string, string>,
    rows: number,
  ): Promise<RowSet> {
    if (filters.length === 0) return rows > 0 ? [[0, rows]] : [];
    const columns = new Map<string, Float64Array>();
    for (const f of filters) {
      if (!columns.has(f.column))
        columns.set(f.column, publicColumnValues(await readBlob(this.blobs, publicColumns[f.column]), rows));
    }
    const ids: number[] = [];
    for (let i = 0; i < rows; i++) {
      if (filters.every((f) => passes(f, columns.get(f.column)![i]))) ids.push(i);
    }
    return rowSetFromIds(ids);
  }
}

type CatalogueRecipe = ReturnType<typeof getRecipe>;

/** The bound columns by role, checked against the recipe's inputs (`bad_bindings` otherwise). */
function boundColumns(
  recipe: CatalogueRecipe,
  bindings: Record<string, string | string[]>,
): { all: string[]; bucketed: Set<string> } {
  const roles = new Set(recipe.inputs.map((i) => i.role));
  for (const role of Object.keys(bindings)) {
    if (!roles.has(role))
      throw refusal(
        'bad_bindings',
        `recipe ${recipe.id} has no input ${role} (its inputs: ${[...roles].join(', ')})`,
      );
  }
  const all: string[] = [];
  const bucketed = new Set<string>();
  for (const input of recipe.inputs) {
    const b = bindings[input.role];
    if (b === undefined) throw refusal('bad_bindings', `bind a column to ${input.role} of ${recipe.id}`);
    const names = typeof b === 'string' ? [b] : b;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.length === 0 || n.length > 100))
      throw refusal(
        'bad_bindings',
        `${input.role} of ${recipe.id} is bound to a column name (or a list of them)`,
      );
    if (!input.many && typeof b !== 'string')
      throw refusal('bad_bindings', `${input.role} of ${recipe.id} takes one column`);
    if (names.length === 0) throw refusal('bad_bindings', `${input.role} of ${recipe.id} needs a column`);
    for (const name of names) {
      if (!all.includes(name)) all.push(name);
      if (input.bucketed) bucketed.add(name);
    }
  }
  return { all, bucketed };
}

function checkFilterValue(filter: ComputationFilter): void {
  const ok =
    filter.op === 'in'
      ? Array.isArray(filter.value) && filter.value.every((v) => Number.isFinite(v))
      : typeof filter.value === 'number' && Number.isFinite(filter.value);
  if (!ok)
    throw refusal(
      'bad_filter',
      filter.op === 'in'
        ? `filter ${filter.column} in: the value is a list of numbers`
        : `filter ${filter.column} ${filter.op}: the value is a number`,
    );
}

/** The job spec: only the columns the recipe's bindings read (with a bucketed input's indicators), by blob hash. */
function jobSpecOf(
  id: string,
  request: ComputationRequest,
  recipe: CatalogueRecipe,
  dataset: Dataset,
  layout: ReturnType<typeof layoutOf>,
  paramsSha256: string | null,
  filters: ComputationFilter[],
): ComputationJobSpec {
  const { all, bucketed } = boundColumns(recipe, request.bindings);
  const columns: Record<string, { spec: ColumnSpec; paramSet: ParamSetId; ciphertexts: string[] }> = {};
  for (const name of all) {
    const declared = dataset.manifest.columns.find((c) => c.name === name)!;
    const paramSet = declared.spec!.paramSet ?? dataset.manifest.paramSet;
    const spec: ColumnSpec = { ...declared.spec!, name, paramSet };
    columns[name] = { spec, paramSet, ciphertexts: layout.columns[name].ciphertexts };
    if (bucketed.has(name)) {
      for (let i = 0; i + 1 < (declared.spec!.buckets?.length ?? 0); i++) {
        const indicator = indicatorSpec(spec, i);
        const stored = layout.columns[indicator.name];
        if (stored)
          columns[indicator.name] = {
            spec: indicator,
            paramSet: stored.paramSet,
            ciphertexts: stored.ciphertexts,
          };
      }
    }
  }
  const paramSets = [...new Set(Object.values(columns).map((c) => c.paramSet))].sort();
  return {
    computationId: id,
    recipe: request.recipe,
    bindings: request.bindings,
    paramsSha256,
    rows: dataset.rowCount,
    columns,
    publicColumns: Object.fromEntries(filters.map((f) => [f.column, layout.publicColumns[f.column]])),
    filters,
    keys: paramSets.map((paramSet) => ({
      paramSet,
      relinKeys: layout.keys[paramSet]!.relinKeys,
      galoisKeys: layout.keys[paramSet]!.galoisKeys,
    })),
  };
}
