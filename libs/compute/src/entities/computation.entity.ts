import { defineEntity, p } from '@mikro-orm/core';
import type { ComputationFilter, ComputationJobSpec } from '../core/computation-job.js';
import type { ComputationState } from '../core/computation-states.js';

/** `[start, end)` row ranges, sorted and disjoint (the policy's RowSet as stored JSON). */
export type StoredRowSet = [number, number][];

/** A buyer's computation on a contract's dataset; see `core/computation-states.ts` for its life. */
export const ComputationSchema = defineEntity({
  name: 'Computation',
  tableName: 'computations',
  properties: {
    id: p.string().primary().length(36),
    contractId: p.string().length(36),
    datasetId: p.string().length(36),
    buyerOrganisationId: p.string().length(36),
    merchantOrganisationId: p.string().length(36),
    submittedByAccountId: p.string().length(36),
    recipe: p.string().length(64),
    bindings: p.json<Record<string, string | string[]>>(),
    filters: p.json<ComputationFilter[]>(),
    /** SHA-256 of the parameters' canonical JSON in the blob store; null when the recipe takes none. */
    paramsSha256: p.string().length(64).nullable(),
    /** SHA-256 of recipe, bindings and parameters: the same computation over the same rows is a repeat. */
    queryKey: p.string().length(64),
    /** What the sandbox worker loads, by content hash; written when the computation is queued. */
    jobSpec: p.json<ComputationJobSpec>(),
    /** The rows the filters select, computed by the platform from the public columns. */
    rowSet: p.json<StoredRowSet>(),
    rowsAggregated: p.integer(),
    /** k of the contract's listing (never below 10) and the ε a release of this computation spends. */
    minRows: p.integer(),
    epsilonMilli: p.integer(),
    state: p.string().$type<ComputationState>().length(16),
    reasonCode: p.string().length(48).nullable(),
    reason: p.string().length(500).nullable(),
    /** Incremented by each worker that takes the job; only the latest attempt records the evaluation. */
    attempt: p.integer(),
    /** Blob SHA-256 of the sandbox's result (encrypted aggregates and public numbers, JSON). */
    evaluationSha256: p.string().length(64).nullable(),
    /** The sandbox's hash over its output ciphertexts, and over the input hashes it checked. */
    outputSha256: p.string().length(64).nullable(),
    inputsSha256: p.string().length(64).nullable(),
    /** Blob SHA-256 of the sealed result envelope (the `resultHash` of the API). */
    resultSha256: p.string().length(64).nullable(),
    epsilonSpentMilli: p.integer().nullable(),
    /** The contract's unit this release paid, for per-computation billing. */
    meteredUnit: p.integer().nullable(),
    repeatOf: p.string().length(36).nullable(),
    queuedAt: p.datetime(),
    startedAt: p.datetime().nullable(),
    evaluatedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});
export class Computation extends ComputationSchema.class {}
ComputationSchema.setClass(Computation);

export const COMPUTE_ENTITIES = [ComputationSchema];
