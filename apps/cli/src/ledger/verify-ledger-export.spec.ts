import { join } from 'node:path';
import {
  importGraph,
  outsideFrameworkFreeCore,
  repositoryRoot,
} from '../../../../test/support/import-graph.js';

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
    expect(outsideFrameworkFreeCore(graph, 'ledger')).toEqual({
      frameworks: [],
      drivers: [],
      libOutsideCore: [],
      database: [],
    });
  });
});
