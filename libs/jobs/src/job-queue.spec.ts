import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { BullMqJobQueue, IncompleteRegistryError, startBullMqWorker } from './bullmq-job-queue.js';
import { InProcessJobQueue } from './in-process-job-queue.js';
import { exactObject, JOB_NAMES, JOB_PARSERS, type CatalogueParsers } from './job-catalogue.js';
import { JobQueue, JobRegistry, PermanentJobError } from './job-queue.js';

/** A catalogue of the tests' own, through the registry's generic parameter. */
interface TestCatalogue {
  'test.record': { n: number };
  'test.flaky': Record<string, never>;
  'test.permanent': Record<string, never>;
  'test.unhandled': Record<string, never>;
}
const empty = (name: string) => (raw: unknown) => exactObject(raw, [], name) as Record<string, never>;
const TEST_PARSERS: CatalogueParsers<TestCatalogue> = {
  'test.record': (raw) => {
    const { n } = exactObject(raw, ['n'], 'test.record');
    if (typeof n !== 'number') throw new PermanentJobError('test.record: n must be a number');
    return { n };
  },
  'test.flaky': empty('test.flaky'),
  'test.permanent': empty('test.permanent'),
  'test.unhandled': empty('test.unhandled'),
};
const testRegistry = () => new JobRegistry<TestCatalogue>(TEST_PARSERS);

interface Backend {
  name: string;
  start(registry: JobRegistry<TestCatalogue>): { queue: JobQueue<TestCatalogue>; stop(): Promise<void> };
}

const backends: Backend[] = [
  {
    name: 'in-process',
    start: (registry) => {
      const queue = new InProcessJobQueue<TestCatalogue>(registry);
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
      const queue = new BullMqJobQueue<TestCatalogue>(registry, settings);
      // A producer alone needs no handler; this consumer handles what the test registered.
      const worker: Worker | undefined =
        registry.missing().length === 0
          ? startBullMqWorker(registry, settings, { concurrency: 2 })
          : undefined;
      return {
        queue,
        stop: async () => {
          await worker?.close();
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
    const registry = testRegistry();
    const runs: unknown[] = [];
    registry.register('test.record', async (payload) => void runs.push(payload));
    for (const name of ['test.flaky', 'test.permanent', 'test.unhandled'] as const)
      registry.register(name, async () => undefined);
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
    const registry = testRegistry();
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
    registry.register('test.record', async () => undefined);
    registry.register('test.unhandled', async () => undefined);
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

  it('refuses a name outside the catalogue and a payload its parser rejects, enqueueing nothing', async () => {
    const registry = testRegistry();
    let runs = 0;
    registry.register('test.record', async () => void (runs += 1));
    const { queue, stop } = backend.start(registry);
    try {
      await expect(queue.enqueue('test.unknown' as 'test.record', { n: 1 }, 'x')).rejects.toThrow(
        /job test.unknown is not in the job catalogue/,
      );
      await expect(
        queue.enqueue('test.record', { n: 'one' } as unknown as { n: number }, 'y'),
      ).rejects.toThrow(/test.record: bad payload: test.record: n must be a number/);
      await new Promise((r) => setTimeout(r, 300));
      expect(runs).toBe(0);
    } finally {
      await stop();
    }
  });

  it('reports itself healthy', async () => {
    const { queue, stop } = backend.start(testRegistry());
    try {
      expect(await queue.health()).toMatchObject({ mode: backend.name, ok: true });
    } finally {
      await stop();
    }
  });
});

describe('the job catalogue and registry', () => {
  it('in-process: refuses a catalogue job nobody handles here', async () => {
    const queue = new InProcessJobQueue<TestCatalogue>(testRegistry());
    try {
      await expect(queue.enqueue('test.unhandled', {}, 'x')).rejects.toThrow(
        /no handler registered for job test.unhandled/,
      );
    } finally {
      await queue.close();
    }
  });

  it('re-validates a payload off the queue: a bad one is a permanent failure and reaches no handler', async () => {
    const registry = testRegistry();
    const seen: unknown[] = [];
    registry.register('test.record', async (payload) => void seen.push(payload));
    const run = registry.handlerFor('test.record');
    await expect(run({ n: 1, extra: true })).rejects.toBeInstanceOf(PermanentJobError);
    await expect(run('{"n":1}')).rejects.toBeInstanceOf(PermanentJobError);
    await run({ n: 2 });
    expect(seen).toEqual([{ n: 2 }]);
    expect(() => JOB_PARSERS['computation.evaluate']({ computationId: 'not-a-uuid' })).toThrow(
      PermanentJobError,
    );
    expect(
      JOB_PARSERS['computation.evaluate']({ computationId: '0b8d7f1e-5a59-4c1e-9d43-4b1f0f6d2a11' }),
    ).toEqual({
      computationId: '0b8d7f1e-5a59-4c1e-9d43-4b1f0f6d2a11',
    });
    expect(JOB_NAMES).toEqual(['computation.evaluate']);
  });

  it('imports a lazy handler once, at its first job, however many jobs arrive meanwhile', async () => {
    const registry = testRegistry();
    let loads = 0;
    const runs: number[] = [];
    registry.registerLazy('test.record', async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 50));
      return async ({ n }) => void runs.push(n);
    });
    expect(loads).toBe(0);
    expect(registry.has('test.record')).toBe(true);
    await Promise.all([1, 2, 3].map((n) => registry.handlerFor('test.record')({ n })));
    expect(loads).toBe(1);
    expect(runs.sort()).toEqual([1, 2, 3]);
    expect(() => registry.register('test.record', async () => undefined)).toThrow(/two handlers/);
    expect(() => registry.register('test.nope' as 'test.record', async () => undefined)).toThrow(
      /not in the job catalogue/,
    );
  });

  it('a consumer refuses to start unless it handles every name of the catalogue', () => {
    const registry = testRegistry();
    registry.register('test.record', async () => undefined);
    expect(registry.missing()).toEqual(['test.flaky', 'test.permanent', 'test.unhandled']);
    expect(() =>
      startBullMqWorker(registry, { url: 'redis://127.0.0.1:1', prefix: 'never-started' }),
    ).toThrow(IncompleteRegistryError);
    expect(new JobRegistry().missing()).toEqual(['computation.evaluate']);
  });
});
