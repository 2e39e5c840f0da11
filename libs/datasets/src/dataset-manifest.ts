import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  checkColumnSpec,
  indicatorName,
  PARAM_SETS,
  type ColumnSpec,
  type ParamSetId,
  type Scheme,
} from '@app/he/evaluation';
import { hashLeaf, merkleTreeHash } from '@app/ledger/core';
import { RuleRefused, ValidationFailed } from '@app/core';

/** The parts a dataset is uploaded in: ciphertexts, the public columns' values and the public/evaluation keys. */
export const CHUNK_KINDS = ['ciphertext', 'publicColumn', 'publicKey', 'relinKeys', 'galoisKeys'] as const;
export type ChunkKind = (typeof CHUNK_KINDS)[number];

/** The largest chunk accepted (Galois keys for N = 8192 are tens of MiB). */
export const MAX_CHUNK_BYTES = 256 * 1024 * 1024;
export const MAX_CHUNKS = 20_000;
export const MAX_ROWS = 1_000_000_000;

/** The homomorphic parameters of a column as the merchant encrypted it (`ColumnSpec` of `@app/he` without its name). */
export interface EncryptedColumnSpec {
  kind: 'real' | 'integer' | 'decimal';
  min: number;
  max: number;
  decimals?: number;
  buckets?: number[];
  paramSet?: ParamSetId;
}

export interface ManifestColumn {
  /** One of the asset's registered columns. */
  name: string;
  /** true: uploaded as ciphertexts; false: declared public, uploaded in plaintext for filters. */
  encrypted: boolean;
  /** Required for an encrypted column, absent for a public one. */
  spec?: EncryptedColumnSpec;
}

export interface ManifestChunk {
  kind: ChunkKind;
  /** ciphertext: an encrypted column or a bucket indicator `name#i`; publicColumn: a public column. */
  column?: string;
  /** ciphertext only: which ciphertext of the column (rows index·slots … index·slots + slots − 1). */
  index?: number;
  /** Key chunks only: the parameter set the key belongs to. */
  paramSet?: ParamSetId;
  /** 64 lowercase hex. */
  sha256: string;
  sizeBytes: number;
}

/** What the merchant's CLI declares before it uploads: chunk n of the upload is `chunks[n]`. */
export interface DatasetManifest {
  assetId: string;
  /** The parameter set of the encrypted columns unless a column's spec names another. */
  paramSet: ParamSetId;
  rowCount: number;
  columns: ManifestColumn[];
  chunks: ManifestChunk[];
}

/** An asset column as registration recorded it, as far as the manifest check needs it. */
export interface RegisteredColumn {
  name: string;
  public: boolean;
  personalInformation: boolean;
  tradeSecret: boolean;
}

const SHA256 = /^[0-9a-f]{64}$/;

const invalid = (message: string, code = 'invalid_manifest') => new ValidationFailed(message, code);

const schemeOf = (paramSet: ParamSetId): Scheme => PARAM_SETS[paramSet].scheme;

const isParamSet = (value: unknown): value is ParamSetId =>
  typeof value === 'string' && Object.hasOwn(PARAM_SETS, value);

/** The scheme an encrypted column's kind needs: reals go to CKKS, integers and fixed-point decimals to BFV. */
const schemeForKind = (kind: EncryptedColumnSpec['kind']): Scheme => (kind === 'real' ? 'ckks' : 'bfv');

/**
 * Checks a manifest against itself and the asset's registered columns and returns the parameter sets whose keys it
 * carries. Throws 400 (`invalid_manifest`) for an inconsistent manifest and 422 with the article for a column the
 * asset did not register, a plaintext column the merchant did not declare public (DS 56: personal information and
 * trade secrets are uploaded encrypted or not at all), and for a secret key (the exchange stores none).
 */
export function checkManifest(
  manifest: DatasetManifest,
  registered: readonly RegisteredColumn[],
): ParamSetId[] {
  if (!isParamSet(manifest.paramSet)) {
    throw invalid(`paramSet must be one of ${Object.keys(PARAM_SETS).join(', ')}`);
  }
  if (!Number.isSafeInteger(manifest.rowCount) || manifest.rowCount < 1 || manifest.rowCount > MAX_ROWS) {
    throw invalid(`rowCount must be a whole number from 1 to ${MAX_ROWS}`);
  }
  if (manifest.columns.length === 0) throw invalid('columns: name at least one column');
  const byName = new Map(registered.map((c) => [c.name, c]));
  const encrypted = new Map<string, { spec: ColumnSpec; paramSet: ParamSetId }>();
  const plain = new Set<string>();
  for (const column of manifest.columns) {
    if (encrypted.has(column.name) || plain.has(column.name))
      throw invalid(`column ${column.name} is named twice`);
    const asset = byName.get(column.name);
    if (!asset) {
      throw new RuleRefused(
        'DE 42',
        'column_not_registered',
        `column ${column.name} is not one of the asset's registered columns (${[...byName.keys()].join(', ')})`,
      );
    }
    if (!column.encrypted) {
      if (column.spec !== undefined)
        throw invalid(`column ${column.name} is public: it has no encryption spec`);
      if (!asset.public || asset.personalInformation || asset.tradeSecret) {
        throw new RuleRefused(
          'DS 56',
          'column_not_public',
          `column ${column.name} was not registered as public (or holds personal information or trade secrets): ` +
            'upload it encrypted',
        );
      }
      plain.add(column.name);
      continue;
    }
    const spec = column.spec;
    if (!spec) throw invalid(`column ${column.name} is encrypted: give its spec (kind, min, max …)`);
    const paramSet = spec.paramSet ?? manifest.paramSet;
    if (!isParamSet(paramSet)) throw invalid(`column ${column.name}: unknown paramSet`);
    if (schemeOf(paramSet) !== schemeForKind(spec.kind)) {
      throw invalid(
        `column ${column.name}: a ${spec.kind} column is encrypted with ${schemeForKind(spec.kind).toUpperCase()}, ` +
          `not with ${paramSet}`,
      );
    }
    const full: ColumnSpec = { ...spec, name: column.name, paramSet };
    try {
      checkColumnSpec(full);
    } catch (error) {
      throw invalid((error as Error).message);
    }
    encrypted.set(column.name, { spec: full, paramSet });
    // Bucketed columns come with one BFV 0/1 indicator column per bucket (see `@app/he` `indicatorSpec`).
    for (let i = 0; i + 1 < (spec.buckets?.length ?? 0); i++) {
      encrypted.set(indicatorName(column.name, i), { spec: full, paramSet: 'bfv-8192-t50' });
    }
  }
  return checkChunks(manifest, encrypted, plain);
}

function checkChunks(
  manifest: DatasetManifest,
  encrypted: Map<string, { paramSet: ParamSetId }>,
  plain: Set<string>,
): ParamSetId[] {
  const { chunks, rowCount } = manifest;
  if (chunks.length === 0 || chunks.length > MAX_CHUNKS) throw invalid(`chunks: 1 to ${MAX_CHUNKS} chunks`);
  const seen = new Set<string>();
  const keys = new Map<ParamSetId, Set<ChunkKind>>();
  chunks.forEach((chunk, n) => {
    const where = `chunks[${n}]`;
    if ((chunk.kind as string) === 'secretKey') throw secretKeyRefused(where);
    if (!SHA256.test(chunk.sha256)) throw invalid(`${where}.sha256 must be 64 lowercase hex digits`);
    if (!Number.isSafeInteger(chunk.sizeBytes) || chunk.sizeBytes < 1 || chunk.sizeBytes > MAX_CHUNK_BYTES) {
      throw invalid(`${where}.sizeBytes must be from 1 to ${MAX_CHUNK_BYTES}`);
    }
    if (chunk.kind === 'ciphertext') {
      const column = chunk.column === undefined ? undefined : encrypted.get(chunk.column);
      if (!column) throw invalid(`${where}: a ciphertext names one of the encrypted columns`);
      const count = Math.ceil(rowCount / PARAM_SETS[column.paramSet].slots);
      if (!Number.isSafeInteger(chunk.index) || chunk.index! < 0 || chunk.index! >= count) {
        throw invalid(`${where}.index must be from 0 to ${count - 1} (${rowCount} rows)`);
      }
      if (chunk.paramSet !== undefined) throw invalid(`${where}: a ciphertext's paramSet is its column's`);
      const key = `c:${chunk.column}:${chunk.index}`;
      if (seen.has(key))
        throw invalid(`${where}: ciphertext ${chunk.index} of ${chunk.column} is listed twice`);
      seen.add(key);
      (keys.get(column.paramSet) ?? keys.set(column.paramSet, new Set()).get(column.paramSet)!).add(
        'ciphertext',
      );
    } else if (chunk.kind === 'publicColumn') {
      if (chunk.column === undefined || !plain.has(chunk.column)) {
        throw invalid(`${where}: publicColumn names one of the public columns`);
      }
      if (chunk.index !== undefined || chunk.paramSet !== undefined) {
        throw invalid(`${where}: a public column has no index or paramSet`);
      }
      if (chunk.sizeBytes !== rowCount * 8) {
        throw invalid(
          `${where}: a public column is ${rowCount} little-endian float64 values, ${rowCount * 8} bytes`,
        );
      }
      if (seen.has(`p:${chunk.column}`))
        throw invalid(`${where}: public column ${chunk.column} is listed twice`);
      seen.add(`p:${chunk.column}`);
    } else if (chunk.kind === 'publicKey' || chunk.kind === 'relinKeys' || chunk.kind === 'galoisKeys') {
      if (!isParamSet(chunk.paramSet)) throw invalid(`${where}: a key names its paramSet`);
      if (chunk.column !== undefined || chunk.index !== undefined)
        throw invalid(`${where}: a key has no column or index`);
      const kinds = keys.get(chunk.paramSet) ?? keys.set(chunk.paramSet, new Set()).get(chunk.paramSet)!;
      if (kinds.has(chunk.kind))
        throw invalid(`${where}: ${chunk.kind} of ${chunk.paramSet} is listed twice`);
      kinds.add(chunk.kind);
    } else {
      throw invalid(`${where}.kind must be one of ${CHUNK_KINDS.join(', ')}`);
    }
  });
  for (const [name, column] of encrypted) {
    const count = Math.ceil(rowCount / PARAM_SETS[column.paramSet].slots);
    for (let i = 0; i < count; i++) {
      if (!seen.has(`c:${name}:${i}`))
        throw invalid(`ciphertext ${i} of column ${name} is missing from chunks`);
    }
  }
  for (const name of plain) {
    if (!seen.has(`p:${name}`)) throw invalid(`the values of public column ${name} are missing from chunks`);
  }
  const used: ParamSetId[] = [];
  for (const [paramSet, kinds] of keys) {
    if (!kinds.has('ciphertext')) throw invalid(`keys of ${paramSet} are given but no column uses that set`);
    for (const needed of ['relinKeys', 'galoisKeys'] as const) {
      if (!kinds.has(needed))
        throw invalid(`the ${needed} of ${paramSet} are missing: the sandbox needs them to evaluate`);
    }
    used.push(paramSet);
  }
  return used.sort();
}

export const secretKeyRefused = (where: string) =>
  new RuleRefused(
    'DS 56',
    'secret_key_refused',
    `${where} is a secret key: the exchange stores ciphertexts, public and evaluation keys only; keep the secret key on your side`,
  );

/** SHA-256 (hex) of the manifest's RFC 8785 canonical JSON: what the ledger records and the chunks are bound to. */
export function manifestHash(manifest: DatasetManifest): string {
  return createHash('sha256').update(canonicalize(manifest)!, 'utf8').digest('hex');
}

/** RFC 9162 Merkle root (hex) over the chunks' SHA-256s (each a leaf of its 32 bytes), in chunk order. */
export function chunksRoot(sha256s: readonly string[]): string {
  const leaves = sha256s.map((h) => hashLeaf('sha256', Buffer.from(h, 'hex')));
  return Buffer.from(merkleTreeHash('sha256', leaves)).toString('hex');
}

/** Where each part of a checked manifest is: what a worker loads to evaluate, by blob name (SHA-256). */
export interface DatasetLayout {
  /** Encrypted columns (and bucket indicators `name#i`): their set and ciphertext hashes in index order. */
  columns: Record<string, { paramSet: ParamSetId; ciphertexts: string[] }>;
  /** Public columns: the hash of their `rowCount` little-endian float64 values. */
  publicColumns: Record<string, string>;
  /** Per parameter set: the keys' hashes (`publicKey` when uploaded). */
  keys: Partial<Record<ParamSetId, { relinKeys: string; galoisKeys: string; publicKey: string | null }>>;
}

/** The layout of a manifest that passed `checkManifest` (precondition: it did; this does not check again). */
export function layoutOf(manifest: DatasetManifest): DatasetLayout {
  const paramSetOf = new Map<string, ParamSetId>();
  for (const column of manifest.columns) {
    if (!column.encrypted || !column.spec) continue;
    paramSetOf.set(column.name, column.spec.paramSet ?? manifest.paramSet);
    for (let i = 0; i + 1 < (column.spec.buckets?.length ?? 0); i++) {
      paramSetOf.set(indicatorName(column.name, i), 'bfv-8192-t50');
    }
  }
  const layout: DatasetLayout = { columns: {}, publicColumns: {}, keys: {} };
  for (const chunk of manifest.chunks) {
    if (chunk.kind === 'ciphertext') {
      const column = (layout.columns[chunk.column!] ??= {
        paramSet: paramSetOf.get(chunk.column!)!,
        ciphertexts: [],
      });
      column.ciphertexts[chunk.index!] = chunk.sha256;
    } else if (chunk.kind === 'publicColumn') {
      layout.publicColumns[chunk.column!] = chunk.sha256;
    } else {
      const keys = (layout.keys[chunk.paramSet!] ??= { relinKeys: '', galoisKeys: '', publicKey: null });
      keys[chunk.kind] = chunk.sha256;
    }
  }
  return layout;
}
