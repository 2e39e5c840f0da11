import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { BullMqJobQueue, startBullMqWorker } from './bullmq-job-queue.js';
import { InProcessJobQueue } from './in-process-job-queue.js';
import { JobQueue, JobRegistry, PermanentJobError } from './job-queue.js';

interface Backend {
  name: string;
  start(registry: JobRegistry): { queue: JobQueue; stop(): Promise<void> };
}

const backends: Backend[] = [
  {
    name: 'in-process',
    start: (registry) => {
      const queue = new InProcessJobQueue(registry);
      return { queue, stop: () => queue.close() };
    },
  },
];
// The second CI run has Redis: the same contract is then checked on BullMQ with a worker, as deployed.
if (process.env.REDIS_URL) {
  backends.push({
    name: 'redis',
    start: (registry) => {
      const settings = { url: process.env.REDIS_URL!, prefix: `dx-test-${randomBytes(4).toString('hex')}` };
      const queue = new BullMqJobQueue(registry, settings);
      const worker: Worker = startBullMqWorker(registry, settings, 2);
      return {
        queue,
        stop: async () => {
          await worker.close();
          await queue.close();
        },
      };
    },
  });
}

const until = async (condition: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(backends)('job queue ($name)', (backend) => {
  it('runs a job once however often the same job id is enqueued', async () => {
    const registry = new JobRegistry();
    const runs: unknown[] = [];
    registry.register('test.record', async (payload) => void runs.push(payload));
    const { queue, stop } = backend.start(registry);
    try {
      await Promise.all([1, 2, 3].map(() => queue.enqueue('test.record', { n: 1 }, 'same-id')));
      await queue.enqueue('test.record', { n: 2 }, 'other-id');
      await until(() => runs.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(runs).toHaveLength(2);
      expect(runs).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    } finally {
      await stop();
    }
  });

  it('retries a failing job until it succeeds, and gives up at once on a permanent failure', async () => {
    const registry = new JobRegistry();
    let flaky = 0;
    let permanent = 0;
    registry.register('test.flaky', async () => {
      flaky += 1;
      if (flaky < 3) throw new Error('transient');
    });
    registry.register('test.permanent', async () => {
      permanent += 1;
      throw new PermanentJobError('bad payload');
    });
    const { queue, stop } = backend.start(registry);
    try {
      await queue.enqueue('test.flaky', {}, 'flaky-1');
      await queue.enqueue('test.permanent', {}, 'permanent-1');
      await until(() => flaky >= 3 && permanent >= 1);
      await new Promise((r) => setTimeout(r, 1000));
      expect(flaky).toBe(3);
      expect(permanent).toBe(1);
    } finally {
      await stop();
    }
  });

  it('refuses a job nobody handles', async () => {
    const { queue, stop } = backend.start(new JobRegistry());
    try {
      await expect(queue.enqueue('test.unknown', {}, 'x')).rejects.toThrow(
        /no handler registered for job test.unknown/,
      );
    } finally {
      await stop();
    }
  });

  it('reports itself healthy', async () => {
    const { queue, stop } = backend.start(new JobRegistry());
    try {
      expect(await queue.health()).toMatchObject({ mode: backend.name, ok: true });
    } finally {
      await stop();
    }
  });
});
