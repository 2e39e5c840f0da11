import { parentPort, workerData } from 'node:worker_threads';
import { loadSeal } from '@app/he/evaluation';
import type { EngineReply, EngineRequest } from './engine-protocol.js';
import { ShareEvaluator } from './share-evaluator.js';

// Entry of a long-lived evaluation thread of the ComputeEngine: answers requests one at a time, keeps its key
// sessions and loaded ciphertexts between them. Everything reachable from here is secret-free (a spec walks this
// file's static import graph to prove it).

loadSeal().catch(() => undefined);

const evaluator = new ShareEvaluator((workerData as { cacheBytes: number }).cacheBytes);
let chain = Promise.resolve();

async function answer(req: EngineRequest): Promise<EngineReply> {
  try {
    if (req.type === 'share') return await evaluator.run(req);
    if (req.type === 'combine') return evaluator.combine(req);
    return { ok: true, job: req.job, stats: evaluator.stats() };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return {
      ok: false,
      job: req.job,
      error: { name: e.name, message: e.message },
      ...evaluator.drainChanges(),
    };
  }
}

parentPort!.on('message', (req: EngineRequest) => {
  chain = chain.then(async () => {
    // Copied, not transferred: a serialised ciphertext's buffer may be shared with node-seal.
    parentPort!.postMessage(await answer(req));
  });
});
