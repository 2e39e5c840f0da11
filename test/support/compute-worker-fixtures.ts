import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { BLOB_STORE, type BlobStore } from '@app/blobs';
import { Computation, type ComputationFilter, type ComputationJobSpec } from '@app/compute';
import { encryptColumns, generateKeys, publicPart, type ColumnSpec, type SecretKeyMaterial } from '@app/he';
import { indicatorName } from '@app/he/evaluation';
import { seededRandom } from './seeded-random.js';
import { assetBody, registerAsset } from './asset-fixtures.js';
import { listingBody, publishedListing } from './listing-fixtures.js';
import type { TestApp } from './test-app.js';
import { deposit, fund } from './money-fixtures.js';
import { computeTerms, insertContract } from './trade-fixtures.js';
import { World, type Party } from './world.js';

/**
 * What the sandbox worker's tests compute on: a contract between a merchant and a buyer, a ready dataset version
 * (its row only anchors the computation; the platform's submission builds the job spec in its own tests), and a
 * dataset encrypted with test keys whose chunks, evaluation keys and public column are in the blob store. The test
 * keeps the secret keys to decrypt what the worker stored; the worker never sees them.
 */
export interface ComputeWorld {
  t: TestApp;
  merchant: Party;
  buyer: Party;
  contractId: string;
  datasetId: string;
  keys: SecretKeyMaterial[];
  rows: number;
  plain: Record<string, number[]>;
  columns: ComputationJobSpec['columns'];
  publicColumns: Record<string, string>;
  jobKeys: ComputationJobSpec['keys'];
}

export const EDGES = [0, 10, 25, 50, 100];
export const SPECS: ColumnSpec[] = [
  { name: 'x', kind: 'real', min: -50, max: 150 },
  { name: 'y', kind: 'real', min: -150, max: 400 },
  { name: 'a', kind: 'decimal', decimals: 2, min: -1000, max: 1000 },
  { name: 'b', kind: 'integer', min: 0, max: 100, buckets: EDGES },
  { name: 'g', kind: 'integer', min: 0, max: 9, public: true },
];

/** Uploads a small ready dataset version through the API (random bytes: its row is all the tests need of it). */
async function readyDataset(merchant: Party, operator: Party['client'], assetId: string): Promise<string> {
  const bytes = [Buffer.alloc(100, 1), Buffer.alloc(100, 2), Buffer.alloc(100, 3)];
  const { createHash } = await import('node:crypto');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  void operator;
  const started = await merchant.client.post('/v1/datasets', {
    assetId,
    paramSet: 'bfv-8192-t50',
    rowCount: 10,
    columns: [{ name: 'vehicle_count', encrypted: true, spec: { kind: 'integer', min: 0, max: 100_000 } }],
    chunks: [
      { kind: 'ciphertext', column: 'vehicle_count', index: 0, sha256: sha(bytes[0]), sizeBytes: 100 },
      { kind: 'relinKeys', paramSet: 'bfv-8192-t50', sha256: sha(bytes[1]), sizeBytes: 100 },
      { kind: 'galoisKeys', paramSet: 'bfv-8192-t50', sha256: sha(bytes[2]), sizeBytes: 100 },
    ],
  });
  if (started.status !== 201) throw new Error(`dataset: ${started.status} ${JSON.stringify(started.body)}`);
  const id = started.body.id as string;
  for (let n = 0; n < bytes.length; n++) {
    const put = await fetch(`${merchant.client.baseUrl}/v1/datasets/${id}/chunks/${n}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${merchant.client.token}`,
        'content-type': 'application/octet-stream',
      },
      body: bytes[n],
    });
    if (put.status !== 201) throw new Error(`chunk ${n}: ${put.status}`);
  }
  const done = await merchant.client.post(`/v1/datasets/${id}/complete`);
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body)}`);
  return id;
}

/** Columns from `specs` (names of `SPECS`: x, y real; a decimal; b bucketed integer; g public), `rows` rows. */
export async function computeWorld(
  t: TestApp,
  rows: number,
  specs: ColumnSpec[] = SPECS,
  options: { funded?: boolean } = {},
): Promise<ComputeWorld> {
  const world = new World(t);
  const operator = await world.operatorProgramme();
  const merchant = await world.party(['merchant'], operator);
  const buyer = await world.party(['buyer'], operator);
  const assetId = (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId))).id;
  const listingId = await publishedListing(merchant.client, operator, listingBody([assetId]));
  // Funded: signed, then paid into escrow over HTTP (one hold per computation), so releases are metered for real.
  const terms = computeTerms();
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms,
    state: options.funded ? 'signed' : 'active',
  });
  if (options.funded) {
    const total = String(terms.priceFen * BigInt(terms.computations ?? 1));
    if ((await deposit(operator, buyer.organisationId, total)).status !== 201)
      throw new Error('deposit refused');
    const funded = await fund(buyer.client, contract.id, randomUUID());
    if (funded.status !== 200) throw new Error(`funding: ${funded.status} ${JSON.stringify(funded.body)}`);
  }
  const datasetId = await readyDataset(merchant, operator, assetId);

  const keys = await Promise.all([generateKeys('ckks-8192-d1'), generateKeys('bfv-8192-t50')]);
  const r = seededRandom(rows);
  const x = Array.from({ length: rows }, () => r() * 200 - 50);
  const generated: Record<string, number[]> = {
    x,
    y: x.map((v) => 3 + 2 * v + (r() - 0.5) * 40),
    a: Array.from({ length: rows }, () => Math.round((r() * 2000 - 1000) * 100) / 100),
    b: Array.from({ length: rows }, () => Math.floor(r() * 101)),
    g: Array.from({ length: rows }, () => Math.floor(r() * 10)),
  };
  const plain = Object.fromEntries(specs.map((s) => [s.name, generated[s.name]]));
  const ds = await encryptColumns(
    specs,
    specs.map((s) => generated[s.name]),
    keys,
  );
  const store = t.app.get<BlobStore>(BLOB_STORE);
  const columns: Record<string, ComputationJobSpec['columns'][string]> = {};
  for (const [name, column] of Object.entries(ds.columns)) {
    const hashes: string[] = [];
    for (const chunk of column.chunks) hashes.push((await store.put(chunk.bytes)).sha256);
    columns[name] = { spec: column.spec, paramSet: column.paramSet, ciphertexts: hashes };
  }
  const publicColumns: Record<string, string> = {};
  for (const [name, values] of Object.entries(ds.publicColumns))
    publicColumns[name] = (
      await store.put(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    ).sha256;
  const jobKeys = [];
  for (const k of keys.map(publicPart)) {
    jobKeys.push({
      paramSet: k.paramSet,
      relinKeys: (await store.put(k.relinKeys)).sha256,
      galoisKeys: (await store.put(k.galoisKeys)).sha256,
    });
  }
  return {
    t,
    merchant,
    buyer,
    contractId: contract.id,
    datasetId,
    keys,
    rows,
    plain,
    columns,
    publicColumns,
    jobKeys,
  };
}

/** The columns a recipe's bindings read (with a bucketed column's indicator columns). */
function columnsFor(
  w: ComputeWorld,
  bindings: Record<string, string | string[]>,
): ComputationJobSpec['columns'] {
  const out: Record<string, ComputationJobSpec['columns'][string]> = {};
  for (const bound of Object.values(bindings)) {
    for (const name of typeof bound === 'string' ? [bound] : bound) {
      out[name] = w.columns[name];
      const k = (w.columns[name].spec.buckets?.length ?? 1) - 1;
      for (let i = 0; i < k; i++) out[indicatorName(name, i)] = w.columns[indicatorName(name, i)];
    }
  }
  return out;
}

/**
 * Inserts a queued computation as the platform's submission would leave it (job spec on the row, parameters as a
 * blob); returns its id. `columns` overrides the spec's columns (a test that damages or drops a ciphertext).
 */
export async function insertComputation(
  w: ComputeWorld,
  c: {
    recipe: string;
    bindings: Record<string, string | string[]>;
    params?: unknown;
    filters?: ComputationFilter[];
    columns?: ComputationJobSpec['columns'];
    state?: 'queued' | 'running';
    attempt?: number;
  },
): Promise<string> {
  const store = w.t.app.get<BlobStore>(BLOB_STORE);
  const paramsSha256 =
    c.params === undefined ? null : (await store.put(Buffer.from(JSON.stringify(c.params)))).sha256;
  const id = randomUUID();
  const filters = c.filters ?? [];
  const jobSpec: ComputationJobSpec = {
    computationId: id,
    recipe: c.recipe,
    bindings: c.bindings,
    paramsSha256,
    rows: w.rows,
    columns: c.columns ?? columnsFor(w, c.bindings),
    publicColumns: Object.fromEntries(filters.map((f) => [f.column, w.publicColumns[f.column]])),
    filters,
    keys: w.jobKeys,
  };
  const em = w.t.app.get(MikroORM).em.fork();
  const now = w.t.clock.now();
  em.create(Computation, {
    id,
    contractId: w.contractId,
    datasetId: w.datasetId,
    buyerOrganisationId: w.buyer.organisationId,
    merchantOrganisationId: w.merchant.organisationId,
    submittedByAccountId: w.buyer.accountId,
    recipe: c.recipe,
    bindings: c.bindings,
    filters,
    paramsSha256,
    queryKey: 'f'.repeat(64),
    jobSpec,
    rowSet: [[0, w.rows]],
    rowsAggregated: w.rows,
    minRows: 10,
    epsilonMilli: 1000,
    state: c.state ?? 'queued',
    attempt: c.attempt ?? 0,
    queuedAt: now,
    updatedAt: now,
  });
  await em.flush();
  return id;
}
