import { join } from 'node:path';
import {
  importGraph,
  outsideFrameworkFreeCore,
  repositoryRoot,
} from '../../../../test/support/import-graph.js';

describe('the offline certificate verifier (exchange cert verify)', () => {
  it('reaches the assets lib only through @app/assets/core: no Nest, no ORM, no database', () => {
    const graph = importGraph(join(repositoryRoot, 'apps/cli/src/commands/cert.command.ts'));
    const assets = (file: string) => join(repositoryRoot, 'libs/assets/src', file);
    expect(graph.has(assets('core/index.ts'))).toBe(true);
    expect(graph.has(assets('core/certificate.ts'))).toBe(true);
    expect(graph.has(assets('index.ts'))).toBe(false);
    expect(outsideFrameworkFreeCore(graph, 'assets')).toEqual({
      frameworks: [],
      drivers: [],
      libOutsideCore: [],
      database: [],
    });
  });
});
