/**
 * Compute benchmark, second section: the system around the engine. The real API (in this process, on a database of
 * its own) enqueues `computation.evaluate` on Redis (a prefix of its own); sandbox worker processes
 * (`apps/sandbox-worker/src/main.ts`, started as `npm run start:worker` runs it) take the jobs. Figures, medians:
 * - job.<cold|warm>.total: queue-to-evaluated = the job's wait in the queue + the worker's handling of it, from the
 *   worker's JSON line (`queueWaitMs` + `totalMs`); `.queue` (the wait), `.load` (reading, hash-checking and loading
 *   ciphertexts and keys), `.compute` (the engine's work), `.overhead` (the rest: claim and its ledger entry, storing
 *   the evaluation, the `evaluated` transaction). Cold = the first job of a fresh worker process (threads to boot,
 *   nothing loaded); warm = its second job on the same data (ciphertexts cached). Default engine threads (all cores).
 * - queue.overhead.<cold|warm>: (queue wait + overhead) / total, in %, at the largest size run. Aim (issue 11, at
 *   10^6 rows): under 5 %.
 * - release: the platform's release of an evaluated computation over HTTP (`POST /v1/computations/{id}/release`
 *   with an envelope sealed to the buyer's result key beforehand, as the agent sends it), a subscription contract.
 * - jobs.per.second.w<k>: k worker processes (`COMPUTE_THREADS=1` each) on one Redis, warm, a burst of sums
 *   enqueued at once, from the first enqueue to the last `job done` line; ratio.workers.2.1. Aim: ≥ 1.6.
 *   jobs.cpu.w<k>.<who>: CPU per job (ms) during the bursts of the worker processes, this process (the API
 *   enqueuing), PostgreSQL, Redis and the whole machine (what else runs shows as the difference); `.busy` = % of all
 *   cores busy. Read from /proc (Linux; left out elsewhere): a ratio below the aim on a saturated machine says so.
 * Needs PostgreSQL and Redis shared with the worker processes (DATABASE_URL, REDIS_URL); skipped without them.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MikroORM } from '@mikro-orm/core';
import { JobQueue, jobIdFor } from '@app/jobs';
import { generateResultKeyPair, sealResult, toBase64Url } from '@app/results/core';
import { Contract } from '@app/trading';
import { releaseSpareWorker } from '../../sandbox/index.js';
import {
  computeWorld,
  insertComputation,
  SPECS,
  type ComputeWorld,
} from '../../test/support/compute-worker-fixtures.js';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';
import {
  startWorkerProcess,
  stopWorkers,
  until as waitUntil,
  type WorkerProcess,
} from '../../test/support/worker-process.js';
import { computeTerms, insertContract } from '../../test/support/trade-fixtures.js';
import { median, report } from '../report.js';

const fig = (figure: string, value: number, unit: string, n: number) =>
  report({ bench: 'compute', figure, value, unit, n });
const s = (ms: number) => ms / 1000;

/** Waits for `condition`; fails at once if a worker process has exited (its last lines say why). */
const until = (what: string, condition: () => boolean, watch: WorkerProcess[] = []) =>
  waitUntil(`bench compute queue: ${what}`, condition, { watch, ms: 600_000, pollMs: 2 });

const doneLines = (w: WorkerProcess) => w.lines.filter((l) => l.message === 'job done');
const doneLine = (workers: WorkerProcess[], id: string) =>
  workers.flatMap(doneLines).find((l) => l.computationId === id);

/** CPU time so far (ms) of the machine (all cores, busy), this process, the workers and the servers; null off Linux. */
function cpuNow(ws: WorkerProcess[]): Record<string, number> | null {
  const tick = 1000 / 100; // USER_HZ
  const stat = (pid: number | string) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(') ') + 2).split(' ');
      return {
        comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
        ms: (Number(f[11]) + Number(f[12])) * tick,
      };
    } catch {
      return null;
    }
  };
  try {
    const all = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
    const out: Record<string, number> = {
      machine: (all.reduce((x, y) => x + y, 0) - all[3] - all[4]) * tick,
      api: stat(process.pid)?.ms ?? 0,
      workers: ws.reduce((sum, w) => sum + (stat(w.child.pid!)?.ms ?? 0), 0),
      postgres: 0,
      redis: 0,
    };
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const p = stat(pid);
      if (p?.comm === 'postgres') out.postgres += p.ms;
      if (p?.comm === 'redis-server') out.redis += p.ms;
    }
    return out;
  } catch {
    return null;
  }
}

interface Parts {
  total: number;
  queue: number;
  load: number;
  compute: number;
  overhead: number;
}

export async function queueSection(options: { quick: boolean; sizes?: number[] }): Promise<void> {
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL?.startsWith('postgres') || !REDIS_URL) {
    process.stderr.write(
      'bench compute: the queue section (jobs, release, worker processes) needs DATABASE_URL (PostgreSQL) and REDIS_URL; skipped\n',
    );
    return;
  }
  const quick = options.quick;
  const sizes = options.sizes?.length ? options.sizes : quick ? [10_000] : [100_000, 1_000_000];
  const t: TestApp = await startTestApp({ REDIS_PREFIX: `dx-bench-${randomBytes(4).toString('hex')}` });
  const workers: WorkerProcess[] = [];
  try {
    const env = {
      ...t.database.env,
      REDIS_URL: t.config.redis!.url,
      REDIS_PREFIX: t.config.redis!.prefix,
      BLOB_STORE: t.config.blobStore,
    };
    const queue = t.app.get<JobQueue>(JobQueue);
    const em = () => t.app.get(MikroORM).em.fork();
    const x = SPECS.filter((c) => c.name === 'x');

    /** A world of n rows whose computations run on a subscription contract with room for every release. */
    const worldOf = async (n: number): Promise<ComputeWorld> => {
      const w = await computeWorld(t, n, x);
      const first = await em().findOneOrFail(Contract, { id: w.contractId });
      const sub = await insertContract(t, {
        listingId: first.listingId,
        buyerOrganisationId: w.buyer.organisationId,
        merchantOrganisationId: w.merchant.organisationId,
        terms: computeTerms({
          billingUnit: 'subscription',
          priceFen: 3000n,
          computations: null,
          periodDays: 30,
        }),
        state: 'active',
        epsilonBudgetMilli: 1_000_000,
      });
      return { ...w, contractId: sub.id };
    };
    const enqueue = async (w: ComputeWorld): Promise<string> => {
      const id = await insertComputation(w, { recipe: 'sum', bindings: { x: 'x' } });
      await queue.enqueue(
        'computation.evaluate',
        { computationId: id },
        jobIdFor('computation.evaluate', id),
      );
      return id;
    };
    const runJob = async (w: ComputeWorld, on: WorkerProcess[]): Promise<Parts> => {
      const id = await enqueue(w);
      await until(`job ${id}`, () => doneLine(on, id) !== undefined, on);
      const l = doneLine(on, id)! as Record<string, number | string>;
      if (l.outcome !== 'evaluated') throw new Error(`job ${id}: ${JSON.stringify(l)}`);
      const [wait, handling, load, compute] = [l.queueWaitMs, l.totalMs, l.loadMs, l.computeMs].map(Number);
      return { total: wait + handling, queue: wait, load, compute, overhead: handling - load - compute };
    };
    const ready = async (ws: WorkerProcess[]) =>
      until(
        'workers ready',
        () => ws.every((w) => w.lines.some((l) => /waiting for jobs/.test(String(l.message)))),
        ws,
      );

    // Queue-to-evaluated, cold and warm, on fresh worker processes.
    let largest: { n: number; cold: Parts[]; warm: Parts[] } | undefined;
    let throughputWorld: ComputeWorld | undefined;
    for (const n of sizes) {
      const w = await worldOf(n);
      if (n === (quick ? sizes[0] : 100_000)) throughputWorld = w;
      const cold: Parts[] = [];
      const warm: Parts[] = [];
      for (let i = 0; i < 3; i++) {
        const worker = startWorkerProcess(env);
        workers.push(worker);
        await ready([worker]);
        cold.push(await runJob(w, [worker]));
        warm.push(await runJob(w, [worker]));
        await stopWorkers([worker]);
      }
      for (const [kind, runs] of [
        ['cold', cold],
        ['warm', warm],
      ] as const)
        for (const part of ['total', 'queue', 'load', 'compute', 'overhead'] as const)
          fig(`job.${kind}.${part}`, s(median(runs.map((r) => r[part]))), 's', n);
      largest = { n, cold, warm };
    }
    for (const kind of ['cold', 'warm'] as const) {
      const runs = largest![kind];
      fig(
        `queue.overhead.${kind}`,
        median(runs.map((r) => (100 * (r.queue + r.overhead)) / r.total)),
        '%',
        largest!.n,
      );
    }

    // Jobs per second: 1 and 2 worker processes, one engine thread each, warm, a burst enqueued at once.
    const w = throughputWorld ?? (await worldOf(quick ? 10_000 : 100_000));
    const burst = quick ? 6 : 20;
    const rounds = 3;
    const perSecond: Record<number, number> = {};
    const evaluated: string[] = [];
    for (const k of [1, 2]) {
      const ws = Array.from({ length: k }, () => startWorkerProcess({ ...env, COMPUTE_THREADS: '1' }));
      workers.push(...ws);
      await ready(ws);
      // Warm every process: jobs until each has done one (a process's first job loads the data).
      while (!ws.every((p) => doneLines(p).length > 0)) {
        const ids = await Promise.all(ws.map(() => enqueue(w)));
        await until('warm-up', () => ids.every((id) => doneLine(ws, id) !== undefined), ws);
        evaluated.push(...ids);
      }
      const rates: number[] = [];
      const cpu: Record<string, number[]> = {};
      for (let r = 0; r < rounds; r++) {
        const cpu0 = cpuNow(ws);
        const t0 = performance.now();
        const ids: string[] = [];
        for (let j = 0; j < burst; j++) ids.push(await enqueue(w));
        await until('burst', () => ids.every((id) => doneLine(ws, id) !== undefined), ws);
        const wall = performance.now() - t0;
        rates.push(burst / s(wall));
        const cpu1 = cpuNow(ws);
        if (cpu0 && cpu1) {
          for (const key of Object.keys(cpu1)) (cpu[key] ??= []).push((cpu1[key] - cpu0[key]) / burst);
          (cpu.busy ??= []).push((100 * (cpu1.machine - cpu0.machine)) / (wall * availableParallelism()));
        }
        evaluated.push(...ids);
        const shares = ws.map(
          (p) => ids.filter((id) => doneLines(p).some((l) => l.computationId === id)).length,
        );
        if (k === 2 && shares.some((c) => c === 0))
          process.stderr.write(`bench compute: one worker took no job (${shares.join(', ')})\n`);
      }
      perSecond[k] = median(rates);
      fig(`jobs.per.second.w${k}`, perSecond[k], 'jobs/s', w.rows);
      // Where the CPU went, per job (ms): the worker processes, this process (the API enqueuing), PostgreSQL, Redis,
      // and the whole machine (anything else running shows as machine minus those); busy = % of all cores.
      for (const [key, values] of Object.entries(cpu))
        fig(`jobs.cpu.w${k}.${key}`, median(values), key === 'busy' ? '%' : 'ms/job', w.rows);
      await stopWorkers(ws);
    }
    fig('ratio.workers.2.1', perSecond[2] / perSecond[1], 'x', w.rows);

    // Release: what the platform does with the agent's sealed envelope (sealing is the agent's, done beforehand).
    const keys = await generateResultKeyPair();
    const registered = await w.buyer.client.post('/v1/result-keys', {
      publicKey: toBase64Url(keys.publicKey),
    });
    if (registered.status >= 300)
      throw new Error(`result key: ${registered.status} ${JSON.stringify(registered.body)}`);
    const releases = evaluated.slice(0, quick ? 5 : 15);
    const envelopes = await Promise.all(
      releases.map((id) =>
        sealResult(keys.publicKey, new TextEncoder().encode(`result of ${id}`), {
          computationId: id,
          contractId: w.contractId,
        }),
      ),
    );
    const times: number[] = [];
    for (const [i, id] of releases.entries()) {
      const t0 = performance.now();
      const res = await w.merchant.client.post(`/v1/computations/${id}/release`, {
        envelope: envelopes[i],
        epsilonSpentMilli: 1000,
      });
      times.push(performance.now() - t0);
      if (res.status !== 200 || res.body.state !== 'released')
        throw new Error(`release ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    fig('release', s(median(times)), 's', w.rows);
  } finally {
    await stopWorkers(workers);
    await releaseSpareWorker();
    await t.close();
  }
}
