import { join } from 'node:path';
import { importGraph, repositoryRoot } from '../../../../test/support/import-graph.js';

describe('the offline certificate verifier (exchange cert verify)', () => {
  it('reaches the assets lib only through @app/assets/core: no Nest, no ORM, no database', () => {
    const graph = importGraph(join(repositoryRoot, 'apps/cli/src/commands/cert.command.ts'));
    const assets = (file: string) => join(repositoryRoot, 'libs/assets/src', file);
    expect(graph.has(assets('core/index.ts'))).toBe(true);
    expect(graph.has(assets('core/certificate.ts'))).toBe(true);
    expect(graph.has(assets('index.ts'))).toBe(false);
    const reached = [...graph];
    expect(reached.filter((module) => /^@(nestjs|mikro-orm)\//.test(module))).toEqual([]);
    expect(
      reached.filter((module) => /^(pg|better-sqlite3|ioredis|bullmq|reflect-metadata)$/.test(module)),
    ).toEqual([]);
    expect(
      reached.filter((file) => file.startsWith(assets('')) && !file.startsWith(assets('core/'))),
    ).toEqual([]);
    expect(reached.filter((file) => file.startsWith(join(repositoryRoot, 'libs/database')))).toEqual([]);
  });
});
