import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/core';
import { SecretBox, loadConfig } from '@app/core';
import { JobQueue, JobRegistry } from '@app/jobs';
import { LEDGER_KEY } from '@app/ledger';
import { SandboxWorkerModule } from './worker.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const paths = (
  JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;

/** The repository files an entry loads, following static and dynamic imports (`@app/…` through tsconfig's paths). */
function loadedFiles(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (paths[spec]) stack.push(join(root, paths[spec][0]));
    }
  }
  return new Set([...seen].map((file) => file.slice(root.length + 1)));
}

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
    const files = [...loadedFiles(join(here, 'worker.ts'))];
    expect(files).toContain('libs/jobs/src/jobs.module.ts');
    expect(files.filter((file) => /^(libs\/(identity|ledger|database)\/|contracts\/)/.test(file))).toEqual(
      [],
    );
  });
});
