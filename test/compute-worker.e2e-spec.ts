import { readFile, writeFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { BLOB_STORE, readAll, type BlobStore } from '@app/blobs';
import { Computation, fromStoredEvaluation, type StoredEvaluation } from '@app/compute';
import {
  blobLoader,
  ComputationEvaluationService,
  createComputeEvaluator,
  type ComputeHandlerDeps,
} from '@app/compute/worker';
import { Clock, SecretBox } from '@app/core';
import { UnitOfWork } from '@app/database';
import { decryptAggregates } from '@app/he';
import { JobQueue, JobRegistry, JOB_NAMES, PermanentJobError } from '@app/jobs';
import { LEDGER_KEY, LedgerRecorder } from '@app/ledger';
import { SandboxWorkerModule } from '@app/platform/worker';
import { MikroORM } from '@mikro-orm/core';
import type { Evaluator } from '../sandbox/engine/engine-job.js';
import { CATALOGUE, finishJob, releaseSpareWorker } from '../sandbox/index.js';
import {
  computeWorld,
  EDGES,
  insertComputation,
  type ComputeWorld,
} from './support/compute-worker-fixtures.js';
import { ledgerOf, sqlOf } from './support/db-probe.js';
import { seededRandom } from './support/seeded-random.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The sandbox worker's handler of `computation.evaluate` (issue 11, flow step 2), in the worker's own composition
 * (no SecretBox, no ledger key, no HE secret key) over the API's database and blob store: the claim, the evaluation
 * through the sandbox, the stored encrypted result, the failure codes and the takeover by a later attempt.
 */

let t: TestApp;
let w: ComputeWorld;
let worker: INestApplicationContext;
let service: ComputationEvaluationService;

const ROWS = 300;
const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
const mean = (v: number[]) => sum(v) / v.length;
const cov = (x: number[], y: number[]) => {
  const mx = mean(x);
  const my = mean(y);
  return sum(x.map((v, i) => (v - mx) * (y[i] - my))) / x.length;
};

const row = (id: string) => t.app.get(MikroORM).em.fork().findOneOrFail(Computation, { id });
const actions = async (id: string) => (await ledgerOf(t, id)).map((e) => e.action);

/** What the data holder does with the stored evaluation: decrypt with its secret key and finish the recipe. */
async function answerOf(id: string): Promise<unknown> {
  const computation = await row(id);
  const store = t.app.get<BlobStore>(BLOB_STORE);
  const stored = JSON.parse(
    (await readAll(await store.open(computation.evaluationSha256!))).toString('utf8'),
  ) as StoredEvaluation;
  expect(stored.outputSha256).toBe(computation.outputSha256);
  const result = fromStoredEvaluation(stored);
  const values = await decryptAggregates(result.outputs, w.keys);
  return finishJob(result as Parameters<typeof finishJob>[0], values);
}

const close = (got: unknown, want: number, tol: number) =>
  expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(tol);

beforeAll(async () => {
  t = await startTestApp();
  w = await computeWorld(t, ROWS);
  worker = await NestFactory.createApplicationContext(SandboxWorkerModule.forRoot(t.config, t.clock), {
    logger: false,
  });
  service = worker.get(ComputationEvaluationService);
}, 240_000);
afterAll(async () => {
  await worker?.close();
  await releaseSpareWorker();
  await t?.close();
});

describe('the sandbox worker evaluates a queued computation', () => {
  it('holds a handler for every job of the catalogue and no application key, ledger key or HE secret key', () => {
    expect(worker.get(JobRegistry).missing()).toEqual([]);
    expect(worker.get(JobRegistry).names().sort()).toEqual([...JOB_NAMES].sort());
    for (const token of [SecretBox, LEDGER_KEY]) expect(() => worker.get(token)).toThrow();
  });

  it('queued → evaluated with its ledger entries; decrypting the stored evaluation gives the plaintext answer', async () => {
    const filters = [{ column: 'g', op: 'lt' as const, value: 6 }];
    const id = await insertComputation(w, { recipe: 'sum', bindings: { x: 'a' }, filters });
    const report = await service.handle({ computationId: id });
    expect(report).toMatchObject({ computationId: id, attempt: 1, outcome: 'evaluated' });
    const done = await row(id);
    expect(done).toMatchObject({ state: 'evaluated', attempt: 1, reasonCode: null });
    expect(done.evaluationSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done.inputsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done.startedAt).not.toBeNull();
    expect(done.evaluatedAt).not.toBeNull();
    const entries = await ledgerOf(t, id);
    expect(entries.map((e) => e.action)).toEqual(['computation.started', 'computation.evaluated']);
    expect(entries[1].payload).toEqual({
      computationId: id,
      evaluationSha256: done.evaluationSha256,
      outputSha256: done.outputSha256,
      inputsSha256: done.inputsSha256,
      attempt: 1,
    });
    const { a, g } = w.plain;
    const want = a.filter((_, i) => g[i] < 6).reduce((s, v) => s + Math.round(v * 100), 0) / 100;
    close(await answerOf(id), want, 1e-9);

    // A replayed job (the queue delivers it again) changes nothing.
    expect(await service.handle({ computationId: id })).toEqual({ computationId: id, skipped: 'evaluated' });
    expect(await actions(id)).toEqual(['computation.started', 'computation.evaluated']);
  }, 120_000);

  it('runs every recipe of the catalogue through the worker’s handler, with no key store anywhere (P2)', async () => {
    const { x, y, a, b } = w.plain;
    const r = seededRandom(7);
    const weights = x.map(() => r() * 2 - 1);
    const slope = cov(x, y) / cov(x, x);
    const cases: [string, Record<string, string | string[]>, unknown, (got: unknown) => void][] = [
      ['count', { x: 'x' }, undefined, (got) => expect(got).toBe(ROWS)],
      ['sum', { x: 'x' }, undefined, (got) => close(got, sum(x), 1e-6 * sum(x.map(Math.abs)))],
      ['mean', { x: 'a' }, undefined, (got) => close(got, mean(a), 1e-9)],
      ['variance', { x: 'x' }, undefined, (got) => close(got, cov(x, x), 1e-6 * mean(x.map((v) => v * v)))],
      [
        'stddev',
        { x: 'a' },
        undefined,
        (got) => close(got, Math.sqrt(cov(a, a)), 1e-9 * Math.sqrt(cov(a, a))),
      ],
      [
        'covariance',
        { x: 'x', y: 'y' },
        undefined,
        (got) => close(got, cov(x, y), 1e-6 * mean(x.map((v, k) => Math.abs(v * y[k])))),
      ],
      [
        'correlation',
        { x: 'x', y: 'y' },
        undefined,
        (got) => close(got, cov(x, y) / Math.sqrt(cov(x, x) * cov(y, y)), 1e-5),
      ],
      [
        'dot-product',
        { x: 'x' },
        { weights },
        (got) =>
          close(
            got,
            sum(x.map((v, k) => v * weights[k])),
            1e-6 * sum(x.map((v, k) => Math.abs(v * weights[k]))),
          ),
      ],
      [
        'histogram',
        { x: 'b' },
        undefined,
        (got) =>
          expect((got as { counts: number[] }).counts).toEqual(
            EDGES.slice(1).map(
              (_, k) =>
                b.filter((v) => v >= EDGES[k] && (v < EDGES[k + 1] || (k === EDGES.length - 2 && v === 100)))
                  .length,
            ),
          ),
      ],
      [
        'linear-regression',
        { features: ['x'], y: 'y' },
        undefined,
        (got) => close((got as { coefficients: number[] }).coefficients[0], slope, 1e-4 * Math.abs(slope)),
      ],
    ];
    expect(cases.map(([recipe]) => recipe).sort()).toEqual([...CATALOGUE.keys()].sort());
    for (const [recipe, bindings, params, check] of cases) {
      const id = await insertComputation(w, { recipe, bindings, params });
      await service.handle({ computationId: id });
      expect((await row(id)).state).toBe('evaluated');
      check(await answerOf(id));
    }
  }, 600_000);
});

describe('what the worker never computes on', () => {
  it('a tampered ciphertext: failed tampered_ciphertext, nothing evaluated, not retried', async () => {
    const store = t.app.get<BlobStore>(BLOB_STORE);
    const original = w.columns.a.ciphertexts[0];
    const bytes = await readAll(await store.open(original));
    // The stored bytes change behind the exchange (a damaged disk, a tampered row): the blob keeps its name.
    if (t.database.kind === 'postgresql') {
      const sql = sqlOf(t);
      const [chunk] = await sql<{ upload_id: string; bytes: Uint8Array }>(
        `select c."upload_id", c."bytes" from "blob_chunks" c join "blobs" b on b."upload_id" = c."upload_id"
         where b."sha256" = ? and c."seq" = 0`,
        [original],
      );
      const damaged = Buffer.from(chunk.bytes);
      damaged[100] ^= 0x01;
      await sql('update "blob_chunks" set "bytes" = ? where "upload_id" = ? and "seq" = 0', [
        damaged,
        chunk.upload_id,
      ]);
    } else {
      const path = (store as BlobStore & { pathOf(sha: string): string }).pathOf(original);
      const damaged = await readFile(path);
      damaged[100] ^= 0x01;
      await writeFile(path, damaged);
    }
    // A worker that has not loaded this column yet: one that has keeps computing on the bytes it verified when it
    // read them, so the damage never reaches an evaluation either way.
    const blobs = worker.get<BlobStore>(BLOB_STORE);
    const fresh = createComputeEvaluator(blobLoader(blobs), { cacheBytes: t.config.compute.cacheBytes });
    const freshService = new ComputationEvaluationService(
      worker.get(UnitOfWork),
      blobs,
      worker.get(LedgerRecorder),
      worker.get(Clock),
      fresh,
    );
    try {
      const id = await insertComputation(w, { recipe: 'sum', bindings: { x: 'a' } });
      await expect(freshService.handle({ computationId: id })).rejects.toBeInstanceOf(PermanentJobError);
      expect(await row(id)).toMatchObject({
        state: 'failed',
        reasonCode: 'tampered_ciphertext',
        evaluationSha256: null,
        outputSha256: null,
      });
      const entries = await ledgerOf(t, id);
      expect(entries.map((e) => e.action)).toEqual(['computation.started', 'computation.failed']);
      expect(entries[1].payload).toEqual({ computationId: id, code: 'tampered_ciphertext', attempt: 1 });
    } finally {
      await fresh.close();
      if (t.database.kind === 'postgresql') {
        await sqlOf(t)(
          `update "blob_chunks" set "bytes" = ? where "seq" = 0 and "upload_id" = (select "upload_id" from "blobs" where "sha256" = ?)`,
          [bytes.subarray(0, Math.min(bytes.length, 1024 * 1024)), original],
        );
      } else {
        await writeFile((store as BlobStore & { pathOf(sha: string): string }).pathOf(original), bytes);
      }
    }
  }, 120_000);

  it('a missing ciphertext: failed missing_ciphertext', async () => {
    const columns = { a: { ...w.columns.a, ciphertexts: ['0'.repeat(64)] } };
    const id = await insertComputation(w, { recipe: 'sum', bindings: { x: 'a' }, columns });
    await expect(service.handle({ computationId: id })).rejects.toBeInstanceOf(PermanentJobError);
    expect(await row(id)).toMatchObject({
      state: 'failed',
      reasonCode: 'missing_ciphertext',
      evaluationSha256: null,
    });
    expect(await actions(id)).toEqual(['computation.started', 'computation.failed']);
  }, 120_000);

  it('the sandbox’s own refusal (fewer rows than the recipe needs after the filter): refused below_min_rows', async () => {
    const filters = [{ column: 'g', op: 'eq' as const, value: 77 }];
    const id = await insertComputation(w, { recipe: 'sum', bindings: { x: 'a' }, filters });
    await expect(service.handle({ computationId: id })).rejects.toBeInstanceOf(PermanentJobError);
    expect(await row(id)).toMatchObject({ state: 'refused', reasonCode: 'below_min_rows' });
    expect(await actions(id)).toEqual(['computation.started', 'computation.refused']);
  }, 120_000);
});

describe('attempts', () => {
  /** An evaluator that waits for the test before evaluating: the first attempt is "slow" (or its worker hung). */
  function gatedService(): { service: ComputationEvaluationService; open(): void } {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const inner = (service as unknown as { evaluator: Evaluator }).evaluator;
    const gated: Evaluator = {
      evaluate: async (job) => {
        await gate;
        return inner.evaluate(job);
      },
      ready: async () => undefined,
      close: async () => undefined,
    };
    const deps: ComputeHandlerDeps = {
      uow: worker.get(UnitOfWork),
      blobs: worker.get(BLOB_STORE),
      ledger: worker.get(LedgerRecorder),
      clock: worker.get(Clock),
      config: t.config,
    };
    return {
      service: new ComputationEvaluationService(deps.uow, deps.blobs, deps.ledger, deps.clock, gated),
      open,
    };
  }

  it('a later attempt takes the job over and records it; the earlier attempt then cannot record', async () => {
    const id = await insertComputation(w, { recipe: 'mean', bindings: { x: 'a' } });
    const slow = gatedService();
    const first = slow.service.handle({ computationId: id });
    for (let i = 0; i < 200 && (await row(id)).attempt === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await row(id)).toMatchObject({ state: 'running', attempt: 1 });

    const second = await service.handle({ computationId: id });
    expect(second).toMatchObject({ attempt: 2, outcome: 'evaluated' });
    const evaluated = await row(id);
    expect(evaluated).toMatchObject({ state: 'evaluated', attempt: 2 });

    slow.open();
    expect(await first).toMatchObject({ attempt: 1, outcome: 'superseded' });
    expect(await row(id)).toMatchObject({
      state: 'evaluated',
      attempt: 2,
      evaluationSha256: evaluated.evaluationSha256,
    });
    const entries = await ledgerOf(t, id);
    expect(entries.map((e) => [e.action, e.payload.attempt])).toEqual([
      ['computation.started', 1],
      ['computation.started', 2],
      ['computation.evaluated', 2],
    ]);
    close(await answerOf(id), mean(w.plain.a), 1e-9);
  }, 120_000);

  it('of parallel claims on one queued computation exactly one runs it', async () => {
    const id = await insertComputation(w, { recipe: 'count', bindings: { x: 'a' } });
    const reports = await Promise.all([1, 2, 3].map(() => service.handle({ computationId: id })));
    expect(reports.filter((r) => r.outcome === 'evaluated')).toHaveLength(1);
    expect(reports.filter((r) => r.skipped === 'claimed elsewhere')).toHaveLength(2);
    expect(await actions(id)).toEqual(['computation.started', 'computation.evaluated']);
  }, 120_000);

  it('a computation whose every attempt died is failed attempts_exhausted, not run again', async () => {
    const id = await insertComputation(w, {
      recipe: 'count',
      bindings: { x: 'a' },
      state: 'running',
      attempt: 5,
    });
    await expect(service.handle({ computationId: id })).rejects.toBeInstanceOf(PermanentJobError);
    expect(await row(id)).toMatchObject({ state: 'failed', reasonCode: 'attempts_exhausted', attempt: 5 });
    expect(await actions(id)).toEqual(['computation.failed']);
  });
});

describe('the API’s side', () => {
  it('without Redis runs the same handler in-process, imported at the first job; with Redis only enqueues', async () => {
    const registry = t.app.get<JobRegistry>(JobRegistry);
    if (t.config.redis) {
      // The sandbox worker processes consume; the API registers no handler and loads no sandbox code.
      expect(registry.has('computation.evaluate')).toBe(false);
      return;
    }
    expect(registry.has('computation.evaluate')).toBe(true);
    const id = await insertComputation(w, { recipe: 'count', bindings: { x: 'a' } });
    await t.app
      .get<JobQueue>(JobQueue)
      .enqueue('computation.evaluate', { computationId: id }, `computation.evaluate@${id}`);
    for (let i = 0; i < 600 && (await row(id)).state !== 'evaluated'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await row(id)).toMatchObject({ state: 'evaluated', attempt: 1 });
    expect(await answerOf(id)).toBe(ROWS);
  }, 60_000);
});
