import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  BLOB_STORE,
  BlobIntegrityError,
  BlobNotFound,
  guardAgainstDestruction,
  readAll,
  type BlobStore,
} from '@app/blobs';
import { Clock } from '@app/core';
import { UnitOfWork } from '@app/database';
import { JOB_ATTEMPTS, PermanentJobError, type JobCatalogue, type JobReport } from '@app/jobs';
import { LedgerRecorder, SYSTEM_ACTOR } from '@app/ledger';
import type { BlobLoader, Evaluator } from '../../../../sandbox/engine/engine-job.js';
import {
  COMPUTATION_TRANSITIONS,
  type ComputationCode,
  type ComputationEvent,
} from '../core/computation-states.js';
import { toStoredEvaluation } from '../core/stored-evaluation.js';
import { Computation } from '../entities/computation.entity.js';
import { FilterError, foldFilters, publicColumnValues } from './public-mask.js';

/** The Nest token of the worker's `Evaluator` (made by `createComputeEvaluator`). */
export const COMPUTE_EVALUATOR = Symbol('COMPUTE_EVALUATOR');

/** How a failed evaluation ends: final (recorded, never retried) or transient (retried by the queue). */
type Outcome =
  | { kind: 'final'; event: Extract<ComputationEvent, 'fail' | 'refuseInSandbox'>; code: ComputationCode }
  | { kind: 'transient' };

const REASON_LENGTH = 500;

/**
 * Maps an error of the evaluation to what happens to the computation (issue 11, flow step 2): a damaged or missing
 * input is never computed on; the sandbox's own refusal is a refusal; a recipe's error is final; anything else
 * (a crash, a timeout, the database or blob store unreachable) is retried.
 */
export function outcomeOf(error: unknown): Outcome {
  const name = (error as Error | undefined)?.name;
  if (error instanceof BlobIntegrityError || name === 'IntegrityError')
    return { kind: 'final', event: 'fail', code: 'tampered_ciphertext' };
  if (error instanceof BlobNotFound || name === 'MissingBlob')
    return { kind: 'final', event: 'fail', code: 'missing_ciphertext' };
  if (error instanceof FilterError) return { kind: 'final', event: 'fail', code: 'bad_filter' };
  if (name === 'JobRejected') {
    const belowMin = /needs at least \d+ rows/.test((error as Error).message);
    return { kind: 'final', event: 'refuseInSandbox', code: belowMin ? 'below_min_rows' : 'sandbox_error' };
  }
  if (name === 'RecipeError' || name === 'CapacityError' || name === 'ValidationError')
    return { kind: 'final', event: 'fail', code: 'recipe_error' };
  if (error instanceof SyntaxError) return { kind: 'final', event: 'fail', code: 'bad_params' };
  return { kind: 'transient' };
}

/** Damaged stored bytes, as the evaluator reports them (the sandbox's name for a hash mismatch). */
export class DamagedBlobError extends Error {
  override readonly name = 'IntegrityError';
}

/**
 * Reads a blob whole from the store, which re-hashes it as it streams: damaged bytes reject with an error named
 * `IntegrityError` (as the sandbox names a hash mismatch), a missing blob with `BlobNotFound`.
 */
export function blobLoader(store: BlobStore): BlobLoader {
  return async (hash) => {
    try {
      return new Uint8Array(await readAll(await store.open(hash)));
    } catch (error) {
      if (error instanceof BlobIntegrityError) throw new DamagedBlobError(error.message);
      throw error;
    }
  };
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** One hash over every input the sandbox checked: sorted names, each with its chunk hashes in order. */
export const inputsSha256Of = (inputHashes: Readonly<Record<string, readonly string[]>>): string =>
  sha256(
    Object.keys(inputHashes)
      .sort()
      .map((name) => `${name}:${inputHashes[name].join(',')}`)
      .join('\n'),
  );

/**
 * The handler of `computation.evaluate`: claims the computation (a conditional update on its state and the attempt
 * it saw, ledger `computation.started`), loads its job spec's blobs by hash, evaluates through the `Evaluator`
 * (filters folded into one mask), stores the `StoredEvaluation` JSON as a blob and records it by a conditional
 * update on (running, its own attempt) with ledger `computation.evaluated`. A later attempt that took the job over
 * (this worker stalled or died) wins: this one then records nothing. It holds no secret key: the job spec names only
 * ciphertexts, evaluation keys and public columns.
 */
@Injectable()
export class ComputationEvaluationService {
  private readonly logger = new Logger('compute');

  constructor(
    private readonly uow: UnitOfWork,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    @Inject(COMPUTE_EVALUATOR) private readonly evaluator: Evaluator,
  ) {}

  /** Reads a blob whole, hash-checked (`blobLoader`). */
  readonly load: BlobLoader = (hash) => blobLoader(this.blobs)(hash);

  /**
   * Precondition: the payload was parsed by the catalogue. Idempotent: a computation past `running` is left as it
   * is. Throws to be retried (transient errors), or `PermanentJobError` once a final outcome is recorded.
   */
  async handle({ computationId }: JobCatalogue['computation.evaluate']): Promise<JobReport> {
    const row = await this.uow.read((em) => em.findOne(Computation, { id: computationId }));
    if (!row) throw new PermanentJobError(`no computation ${computationId}`);
    const claimable = COMPUTATION_TRANSITIONS.start.from;
    if (!claimable.includes(row.state)) return { computationId, skipped: row.state };
    const seen = row.attempt;
    if (seen >= JOB_ATTEMPTS) {
      // Every attempt so far died without recording anything (killed, crashed): give up for good.
      await this.finish(row, seen, { kind: 'final', event: 'fail', code: 'attempts_exhausted' }, [
        ...claimable,
      ]);
      throw new PermanentJobError(`computation ${computationId}: ${seen} attempts died`);
    }
    const attempt = seen + 1;
    const claimed = await this.uow.run(async (em) => {
      const now = this.clock.now();
      const count = await em.nativeUpdate(
        Computation,
        { id: computationId, state: { $in: [...claimable] }, attempt: seen },
        { state: COMPUTATION_TRANSITIONS.start.to, attempt, startedAt: now, updatedAt: now },
      );
      if (count !== 1) return false;
      await this.ledger.record(em, [
        {
          actor: SYSTEM_ACTOR,
          action: 'computation.started',
          subjectIds: [computationId, row.contractId, row.datasetId],
          payload: { computationId, attempt },
        },
      ]);
      return true;
    });
    // Another worker claimed it at the same moment (a takeover racing a slow original): that one runs it.
    if (!claimed) return { computationId, skipped: 'claimed elsewhere' };

    try {
      return await this.evaluate(row, attempt);
    } catch (error) {
      let outcome = outcomeOf(error);
      if (outcome.kind === 'transient' && attempt >= JOB_ATTEMPTS)
        outcome = { kind: 'final', event: 'fail', code: 'attempts_exhausted' };
      if (outcome.kind === 'transient') {
        this.logger.warn(`computation ${computationId} attempt ${attempt}: ${(error as Error).message}`);
        throw error;
      }
      await this.finish(row, attempt, outcome, ['running'], (error as Error).message);
      throw new PermanentJobError(
        `computation ${computationId}: ${outcome.code}: ${(error as Error).message}`,
      );
    }
  }

  private async evaluate(row: Computation, attempt: number): Promise<JobReport> {
    const spec = row.jobSpec;
    const started = performance.now();
    const params = spec.paramsSha256
      ? (JSON.parse(Buffer.from(await this.load(spec.paramsSha256)).toString('utf8')) as unknown)
      : undefined;
    const publicValues = new Map<string, Float64Array>();
    for (const filter of spec.filters) {
      const hash = spec.publicColumns[filter.column];
      if (!hash) throw new FilterError(`filter column ${filter.column} is not a public column of the job`);
      if (!publicValues.has(filter.column))
        publicValues.set(filter.column, publicColumnValues(await this.load(hash), spec.rows, filter.column));
    }
    const mask = foldFilters(spec.filters, spec.rows, (column) => publicValues.get(column)!);
    const prepareMs = performance.now() - started;
    const { result, timings } = await this.evaluator.evaluate({
      recipe: spec.recipe,
      ...(params === undefined ? {} : { params }),
      bindings: spec.bindings,
      rows: spec.rows,
      columns: spec.columns,
      ...(mask ? { mask } : {}),
      keys: spec.keys,
    });
    const stored = await this.blobs.put(Buffer.from(JSON.stringify(toStoredEvaluation(result)), 'utf8'));
    const inputsSha256 = inputsSha256Of(result.inputHashes);
    const recorded = await this.uow.run(async (em) => {
      // A refusal here fails this attempt, and the retry stores the evaluation afresh.
      await guardAgainstDestruction(em, 'blobs', stored.sha256, this.blobs);
      const now = this.clock.now();
      const count = await em.nativeUpdate(
        Computation,
        { id: row.id, state: { $in: [...COMPUTATION_TRANSITIONS.evaluate.from] }, attempt },
        {
          state: COMPUTATION_TRANSITIONS.evaluate.to,
          evaluationSha256: stored.sha256,
          outputSha256: result.outputSha256,
          inputsSha256,
          evaluatedAt: now,
          updatedAt: now,
        },
      );
      if (count !== 1) return false;
      await this.ledger.record(em, [
        {
          actor: SYSTEM_ACTOR,
          action: 'computation.evaluated',
          subjectIds: [row.id, row.contractId, row.datasetId],
          payload: {
            computationId: row.id,
            evaluationSha256: stored.sha256,
            outputSha256: result.outputSha256,
            inputsSha256,
            attempt,
          },
        },
      ]);
      return true;
    });
    return {
      computationId: row.id,
      attempt,
      outcome: recorded ? 'evaluated' : 'superseded',
      loadMs: Math.round(prepareMs + timings.loadMs),
      computeMs: Math.round(timings.computeMs),
      loadedChunks: timings.loadedChunks,
      cachedChunks: timings.cachedChunks,
    };
  }

  /** Records a final outcome if this attempt still holds the computation (else a later attempt owns it). */
  private async finish(
    row: Computation,
    attempt: number,
    outcome: Extract<Outcome, { kind: 'final' }>,
    from: string[],
    detail?: string,
  ): Promise<void> {
    const transition = COMPUTATION_TRANSITIONS[outcome.event];
    const states = from.filter((s) => (transition.from as readonly string[]).includes(s));
    const reason = (detail ? `${outcome.code}: ${detail}` : outcome.code).slice(0, REASON_LENGTH);
    await this.uow.run(async (em) => {
      const now = this.clock.now();
      const count = await em.nativeUpdate(
        Computation,
        { id: row.id, state: { $in: states as Computation['state'][] }, attempt },
        { state: transition.to, reasonCode: outcome.code, reason, finishedAt: now, updatedAt: now },
      );
      if (count !== 1) return;
      await this.ledger.record(em, [
        {
          actor: SYSTEM_ACTOR,
          action: transition.to === 'refused' ? 'computation.refused' : 'computation.failed',
          subjectIds: [row.id, row.contractId, row.datasetId],
          payload: { computationId: row.id, code: outcome.code, attempt },
        },
      ]);
    });
    this.logger.warn(`computation ${row.id} ${transition.to}: ${reason}`);
  }
}
