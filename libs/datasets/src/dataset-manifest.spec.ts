import {
  checkManifest,
  chunksRoot,
  layoutOf,
  manifestHash,
  type DatasetManifest,
} from './dataset-manifest.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');

const registered = [
  { name: 'amount', public: false, personalInformation: false, tradeSecret: false },
  { name: 'district', public: true, personalInformation: false, tradeSecret: false },
  { name: 'age', public: true, personalInformation: true, tradeSecret: false },
];

/** 5000 rows: two CKKS ciphertexts of `amount` (4096 slots), one BFV indicator per bucket of `score`. */
function manifest(overrides: Partial<DatasetManifest> = {}): DatasetManifest {
  return {
    assetId: '00000000-0000-4000-8000-000000000000',
    paramSet: 'ckks-8192-d1',
    rowCount: 5000,
    columns: [
      { name: 'amount', encrypted: true, spec: { kind: 'real', min: 0, max: 1e6, buckets: [0, 10, 1e6] } },
      { name: 'district', encrypted: false },
    ],
    chunks: [
      { kind: 'ciphertext', column: 'amount', index: 1, sha256: hex(2), sizeBytes: 10 },
      { kind: 'ciphertext', column: 'amount', index: 0, sha256: hex(1), sizeBytes: 10 },
      { kind: 'ciphertext', column: 'amount#0', index: 0, sha256: hex(3), sizeBytes: 10 },
      { kind: 'ciphertext', column: 'amount#1', index: 0, sha256: hex(4), sizeBytes: 10 },
      { kind: 'publicColumn', column: 'district', sha256: hex(5), sizeBytes: 40_000 },
      { kind: 'relinKeys', paramSet: 'ckks-8192-d1', sha256: hex(6), sizeBytes: 10 },
      { kind: 'galoisKeys', paramSet: 'ckks-8192-d1', sha256: hex(7), sizeBytes: 10 },
      { kind: 'relinKeys', paramSet: 'bfv-8192-t50', sha256: hex(8), sizeBytes: 10 },
      { kind: 'galoisKeys', paramSet: 'bfv-8192-t50', sha256: hex(9), sizeBytes: 10 },
      { kind: 'publicKey', paramSet: 'bfv-8192-t50', sha256: hex(10), sizeBytes: 10 },
    ],
    ...overrides,
  };
}

describe('checkManifest', () => {
  it('accepts a complete manifest and names the key sets it carries', () => {
    expect(checkManifest(manifest(), registered)).toEqual(['bfv-8192-t50', 'ckks-8192-d1']);
  });

  const without = (n: number) => manifest().chunks.filter((_, i) => i !== n);
  it.each([
    ['a missing ciphertext', { chunks: without(0) }, 'ciphertext 1 of column amount is missing'],
    ['a missing bucket indicator', { chunks: without(3) }, 'ciphertext 0 of column amount#1 is missing'],
    ['missing values of a public column', { chunks: without(4) }, 'public column district'],
    ['missing Galois keys', { chunks: without(6) }, 'galoisKeys of ckks-8192-d1 are missing'],
    ['an index past the rows', { rowCount: 4000 }, 'index must be from 0 to 0'],
    [
      'a public column of the wrong size',
      { rowCount: 8192 },
      'a public column is 8192 little-endian float64 values',
    ],
    ['a real column under BFV', { paramSet: 'bfv-8192-t50' as const }, 'is encrypted with CKKS'],
  ])('refuses %s with 400', (_, overrides, message) => {
    expect(() => checkManifest(manifest(overrides), registered)).toThrow(
      expect.objectContaining({ kind: 'invalid', message: expect.stringContaining(message) }),
    );
  });

  it('refuses columns the asset did not register, or may not hold in plaintext, with the article', () => {
    const columns = (name: string) => [...manifest().columns, { name, encrypted: false }];
    expect(() => checkManifest(manifest({ columns: columns('salary') }), registered)).toThrow(
      expect.objectContaining({ code: 'column_not_registered', article: 'DE 42' }),
    );
    expect(() => checkManifest(manifest({ columns: columns('age') }), registered)).toThrow(
      expect.objectContaining({ code: 'column_not_public', article: 'DS 56' }),
    );
  });

  it('refuses a secret key', () => {
    const chunks = [
      ...manifest().chunks,
      { kind: 'secretKey', paramSet: 'bfv-8192-t50', sha256: hex(11), sizeBytes: 9 },
    ];
    expect(() => checkManifest(manifest({ chunks } as Partial<DatasetManifest>), registered)).toThrow(
      expect.objectContaining({ code: 'secret_key_refused' }),
    );
  });
});

describe('the manifest hash, the chunks root and the layout', () => {
  it('hashes the manifest canonically: key order does not matter, content does', () => {
    const m = manifest();
    const reordered = JSON.parse(
      JSON.stringify({
        chunks: m.chunks,
        columns: m.columns,
        rowCount: m.rowCount,
        paramSet: m.paramSet,
        assetId: m.assetId,
      }),
    ) as DatasetManifest;
    expect(manifestHash(reordered)).toBe(manifestHash(m));
    expect(manifestHash(manifest({ rowCount: 5001 }))).not.toBe(manifestHash(m));
  });

  it('roots the chunk hashes as RFC 9162 does: one leaf is its leaf hash, order matters', () => {
    expect(chunksRoot([hex(1)])).toMatch(/^[0-9a-f]{64}$/);
    expect(chunksRoot([hex(1), hex(2)])).not.toBe(chunksRoot([hex(2), hex(1)]));
    expect(chunksRoot([hex(1), hex(2), hex(3)])).not.toBe(chunksRoot([hex(1), hex(2)]));
  });

  it('lays the chunks out by column and key set, ciphertexts in index order', () => {
    expect(layoutOf(manifest())).toEqual({
      columns: {
        amount: { paramSet: 'ckks-8192-d1', ciphertexts: [hex(1), hex(2)] },
        'amount#0': { paramSet: 'bfv-8192-t50', ciphertexts: [hex(3)] },
        'amount#1': { paramSet: 'bfv-8192-t50', ciphertexts: [hex(4)] },
      },
      publicColumns: { district: hex(5) },
      keys: {
        'ckks-8192-d1': { relinKeys: hex(6), galoisKeys: hex(7), publicKey: null },
        'bfv-8192-t50': { relinKeys: hex(8), galoisKeys: hex(9), publicKey: hex(10) },
      },
    });
  });
});
