import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/core';
import { SecretBox, loadConfig } from '@app/core';
import { JobQueue, JobRegistry } from '@app/jobs';
import { LEDGER_KEY } from '@app/ledger';
import { importGraph, repositoryRoot } from '../../../test/support/import-graph.js';
import { SandboxWorkerModule } from './worker.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository files an entry loads, relative to the repository's root. */
const loadedFiles = (entry: string): string[] =>
  [...importGraph(entry)]
    .filter((file) => file.startsWith(repositoryRoot + sep))
    .map((file) => relative(repositoryRoot, file));

describe('the sandbox worker’s composition', () => {
  it('holds the job queue and no application key, database or ledger key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dx-worker-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const context = await NestFactory.createApplicationContext(SandboxWorkerModule.forRoot(config), {
      logger: false,
    });
    try {
      expect(context.get(JobRegistry)).toBeInstanceOf(JobRegistry);
      expect(context.get(JobQueue)).toBeInstanceOf(JobQueue);
      for (const token of [SecretBox, MikroORM, LEDGER_KEY]) expect(() => context.get(token)).toThrow();
    } finally {
      await context.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('does not load the domain’s code: no identity, ledger, database or contract build', () => {
    const files = loadedFiles(join(here, 'worker.ts'));
    expect(files).toContain('libs/jobs/src/jobs.module.ts');
    expect(files.filter((file) => /^(libs\/(identity|ledger|database)\/|contracts\/)/.test(file))).toEqual(
      [],
    );
  });
});
