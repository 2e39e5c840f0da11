import { parentPort } from 'node:worker_threads';
import { loadSeal } from '@app/he/evaluation';
import { evaluateJob } from './evaluate-job.js';

// Worker entry: receives exactly one job, answers once, and exits. Everything reachable from here is
// secret-free (a spec walks this file's static import graph to prove it).

// Instantiate node-seal while waiting for the job (a spare worker boots before its job arrives); a
// failure here resurfaces as the job's error when evaluateJob loads it.
loadSeal().catch(() => undefined);

parentPort!.once('message', (job: unknown) => {
  evaluateJob(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      parentPort!.postMessage({ ok: false, error: { name: e.name, message: e.message } });
    },
  );
});
