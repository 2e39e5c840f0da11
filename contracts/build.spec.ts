import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileContracts,
  loadProvenanceAnchorArtifact,
  writeArtifact,
  type ContractArtifact,
} from './build.js';

describe('contracts/build', () => {
  let dir: string;
  let compiled: ContractArtifact;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anchor-build-'));
    compiled = compileContracts();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('compiles ProvenanceAnchor cleanly with solc-js 0.8.37', () => {
    expect(compiled.warnings).toEqual([]);
    expect(compiled.compiler).toMatch(/^0\.8\.37\+/);
    expect(compiled.bytecode).toMatch(/^0x[0-9a-f]{200,}$/);
    expect(compiled.abi.map((f) => f.name)).toEqual(
      expect.arrayContaining(['anchor', 'latest', 'checkpointAt', 'count']),
    );
    expect(compiled.sourceHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compiles deterministically', () => {
    expect(compileContracts().bytecode).toBe(compiled.bytecode);
  });

  it('loads a fresh cache without recompiling and rebuilds a stale one', async () => {
    const path = join(dir, 'ProvenanceAnchor.json');
    const first = await loadProvenanceAnchorArtifact(path);
    expect(first.inputHash).toBe(compiled.inputHash);

    // A marker that only survives if the loader trusts the cache.
    await writeArtifact({ ...compiled, contractName: 'FromCache' }, path);
    expect((await loadProvenanceAnchorArtifact(path)).contractName).toBe('FromCache');

    await writeArtifact({ ...compiled, contractName: 'Stale', inputHash: '0'.repeat(64) }, path);
    const rebuilt = await loadProvenanceAnchorArtifact(path);
    expect(rebuilt.contractName).toBe('ProvenanceAnchor');
    expect(JSON.parse(await readFile(path, 'utf8')).inputHash).toBe(compiled.inputHash);

    await writeFile(path, '{ not json');
    expect((await loadProvenanceAnchorArtifact(path)).bytecode).toBe(compiled.bytecode);
  });
});
