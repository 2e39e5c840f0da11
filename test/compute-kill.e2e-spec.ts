import { Computation } from '@app/compute';
import { JobQueue, jobIdFor } from '@app/jobs';
import { generateResultKeyPair, sealResult, toBase64Url } from '@app/results/core';
import { MikroORM } from '@mikro-orm/core';
import { releaseSpareWorker } from '../sandbox/index.js';
import {
  computeWorld,
  SPECS,
  insertComputation,
  type ComputeWorld,
} from './support/compute-worker-fixtures.js';
import { ledgerOf } from './support/db-probe.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { startWorkerProcess as startWorker, until, type WorkerProcess } from './support/worker-process.js';

/**
 * Recovery and scale-out (issue 11 item 6): sandbox worker processes (`apps/sandbox-worker`, as `npm run
 * start:worker` runs it) share one Redis queue; a worker killed with SIGKILL in the middle of a job leaves it to
 * another, which finishes it; the computation is evaluated exactly once.
 */

const said = (w: WorkerProcess, message: RegExp) =>
  w.lines.some((line) => typeof line.message === 'string' && message.test(line.message));

if (!process.env.REDIS_URL) {
  describe('the sandbox worker without Redis', () => {
    it('refuses to start, naming REDIS_URL (jobs then run inside the API)', async () => {
      const worker = startWorker({ REDIS_URL: '' });
      expect(await worker.exited).toBe(1);
      expect(worker.lines.map((l) => l.message).join('\n')).toMatch(/REDIS_URL/);
    }, 60_000);
  });
} else {
  describe('two sandbox workers on one Redis', () => {
    let t: TestApp;
    let w: ComputeWorld;
    const workers: WorkerProcess[] = [];

    beforeAll(async () => {
      t = await startTestApp();
      // Enough ciphertexts that a variance takes seconds: the kill lands mid-job without any sleep hook.
      w = await computeWorld(
        t,
        4096 * 24,
        SPECS.filter((s) => s.name === 'x'),
        { funded: true },
      );
    }, 300_000);
    afterAll(async () => {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await releaseSpareWorker();
      await t?.close();
    });

    it('SIGKILL of the worker running a job: the other takes it over; evaluated, released and charged once', async () => {
      const env = {
        ...t.database.env,
        REDIS_URL: t.config.redis!.url,
        REDIS_PREFIX: t.config.redis!.prefix,
        BLOB_STORE: t.config.blobStore,
        COMPUTE_JOB_LOCK_MS: '1000',
      };
      workers.push(startWorker(env), startWorker(env));
      await until('both workers ready', () => workers.every((wp) => said(wp, /waiting for jobs/)));

      const id = await insertComputation(w, { recipe: 'variance', bindings: { x: 'x' } });
      await t.app
        .get<JobQueue>(JobQueue)
        .enqueue('computation.evaluate', { computationId: id }, jobIdFor('computation.evaluate', id));
      let victim: WorkerProcess | undefined;
      await until('a worker takes the job', () => {
        victim = workers.find((wp) => said(wp, /^job started$/));
        return victim !== undefined;
      });
      const row = () => t.app.get(MikroORM).em.fork().findOneOrFail(Computation, { id });
      await until('the job is claimed', async () => (await row()).state === 'running');
      expect(said(victim!, /^job done$/)).toBe(false);
      victim!.child.kill('SIGKILL');
      await victim!.exited;
      const survivor = workers.find((wp) => wp !== victim)!;

      await until('the survivor evaluates it', async () => (await row()).state === 'evaluated');
      expect(await row()).toMatchObject({ state: 'evaluated', attempt: 2, reasonCode: null });
      expect(said(survivor, /^job done$/)).toBe(true);
      const entries = await ledgerOf(t, id);
      expect(entries.map((e) => [e.action, e.payload.attempt])).toEqual([
        ['computation.started', 1],
        ['computation.started', 2],
        ['computation.evaluated', 2],
      ]);
      const done = survivor.lines.find((l) => l.message === 'job done')!;
      expect(done).toMatchObject({ job: 'computation.evaluate', computationId: id, outcome: 'evaluated' });
      for (const field of ['queueWaitMs', 'loadMs', 'computeMs']) expect(typeof done[field]).toBe('number');

      // The data holder's release, posted twice (its agent retrying after a lost answer): one release, one charge.
      const resultKey = await generateResultKeyPair();
      const registered = await w.buyer.client.post('/v1/result-keys', {
        publicKey: toBase64Url(resultKey.publicKey),
      });
      expect(registered.status).toBe(201);
      const envelope = await sealResult(
        resultKey.publicKey,
        new TextEncoder().encode(JSON.stringify({ sealed: 'by the agent' })),
        { computationId: id, contractId: w.contractId },
      );
      const release = () =>
        w.merchant.client.post(`/v1/computations/${id}/release`, { envelope, epsilonSpentMilli: 1000 });
      const [first, retry] = [await release(), await release()];
      expect([first.status, first.body.state, retry.status, retry.body.state]).toEqual([
        200,
        'released',
        200,
        'released',
      ]);
      expect(first.body.meteredUnit).toBe(1);
      expect((await ledgerOf(t, id)).filter((e) => e.action === 'computation.released')).toHaveLength(1);
      const metered = (await ledgerOf(t, w.contractId)).filter((e) => e.action === 'contract.metered');
      expect(metered.map((e) => e.payload.unit)).toEqual([1]);

      // SIGTERM lets the survivor stop cleanly.
      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
    }, 300_000);
  });
}
