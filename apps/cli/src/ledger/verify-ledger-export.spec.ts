import { join } from 'node:path';
import { importGraph, repositoryRoot } from '../../../../test/support/import-graph.js';

describe("the regulator's offline verifier", () => {
  it('reaches the ledger only through @app/ledger/core: no Nest, no ORM, no database', () => {
    const graph = importGraph(
      join(repositoryRoot, 'apps/cli/src/commands/ledger.command.ts'),
      join(repositoryRoot, 'apps/cli/src/ledger/verify-ledger-export.ts'),
    );
    const ledger = (file: string) => join(repositoryRoot, 'libs/ledger/src', file);
    // It does verify with the core, including the worker threads the verifier starts.
    expect(graph.has(ledger('core/index.ts'))).toBe(true);
    expect(graph.has(ledger('core/export-verifier.ts'))).toBe(true);
    expect(graph.has(ledger('core/export-worker.ts'))).toBe(true);
    expect(graph.has(ledger('index.ts'))).toBe(false);
    const reached = [...graph];
    expect(reached.filter((module) => /^@(nestjs|mikro-orm)\//.test(module))).toEqual([]);
    expect(
      reached.filter((module) => /^(pg|better-sqlite3|ioredis|bullmq|reflect-metadata)$/.test(module)),
    ).toEqual([]);
    expect(
      reached.filter((file) => file.startsWith(ledger('')) && !file.startsWith(ledger('core/'))),
    ).toEqual([]);
    expect(reached.filter((file) => file.startsWith(join(repositoryRoot, 'libs/database')))).toEqual([]);
  });
});
