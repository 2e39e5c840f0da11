import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { SecretBox, loadConfig } from '@app/core';
import { JOB_NAMES, JobQueue, JobRegistry } from '@app/jobs';
import { LEDGER_KEY, LedgerRecorder } from '@app/ledger';
import { importGraph, repositoryRoot } from '../../../test/support/import-graph.js';
import { SandboxWorkerModule } from './worker.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository files an entry loads, relative to the repository's root. */
const loadedFiles = (entry: string): string[] =>
  [...importGraph(entry)]
    .filter((file) => file.startsWith(repositoryRoot + sep))
    .map((file) => relative(repositoryRoot, file));

describe('the sandbox worker’s composition', () => {
  it('handles every job of the catalogue and holds no application key and no ledger key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dx-worker-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const context = await NestFactory.createApplicationContext(SandboxWorkerModule.forRoot(config), {
      logger: false,
    });
    try {
      const registry = context.get(JobRegistry);
      expect(registry.missing()).toEqual([]);
      expect(registry.names().sort()).toEqual([...JOB_NAMES].sort());
      expect(context.get(JobQueue)).toBeInstanceOf(JobQueue);
      expect(context.get(LedgerRecorder)).toBeInstanceOf(LedgerRecorder);
      for (const token of [SecretBox, LEDGER_KEY]) expect(() => context.get(token)).toThrow();
    } finally {
      await context.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('the worker process loads no HE secret-key code and none of identity, trading, settlement or assets', () => {
    const files = loadedFiles(join(repositoryRoot, 'apps/sandbox-worker/src/main.ts'));
    expect(files).toContain('libs/jobs/src/jobs.module.ts');
    expect(files).toContain('libs/compute/src/worker/computation-evaluation.service.ts');
    expect(files).toContain('sandbox/runner.ts');
    // Of @app/he, exactly the secret-free evaluation side: nothing that generates, opens, seals or uses a secret key.
    const evaluationSide = new Set(loadedFiles(join(repositoryRoot, 'libs/he/src/evaluation.ts')));
    const he = files.filter((file) => file.startsWith('libs/he/'));
    expect(he.filter((file) => !evaluationSide.has(file))).toEqual([]);
    for (const secret of [
      'index.ts',
      'data-holder.ts',
      'key-generation.ts',
      'keystore.ts',
      'aggregate-decryptor.ts',
      'passphrase-box.ts',
      'column-encryptor.ts',
      'dataset-encoder.ts',
      'csv-reader.ts',
    ]) {
      expect(he).not.toContain(`libs/he/src/${secret}`);
    }
    expect(
      files.filter((file) => /^libs\/(identity|trading|settlement|assets|catalog)\//.test(file)),
    ).toEqual([]);
    // The platform's services of compute (which read contracts and listings) are not the worker's.
    expect(files).not.toContain('libs/compute/src/index.ts');
    expect(files.filter((file) => file.startsWith('contracts/'))).toEqual([]);
  });

  it('the composition entry itself stays inside that graph', () => {
    const files = loadedFiles(join(here, 'worker.ts'));
    expect(files).not.toContain('libs/platform/src/domain.module.ts');
  });
});
