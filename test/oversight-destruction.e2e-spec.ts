import { jest } from '@jest/globals';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { MikroORM } from '@mikro-orm/core';
import { BLOB_STORE, FileBlobStore, readAll, type BlobStore } from '@app/blobs';
import { Computation, type ComputationJobSpec } from '@app/compute';
import { DestructionService } from '@app/oversight';
import { DeliveryFileStore } from '@app/trading';
import { sqlOf, ledgerOf } from './support/db-probe.js';
import type { HttpClient } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { availableOf, balances, deposit, expectSound, fund } from './support/money-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * Destruction of an asset's data (DS 37), on SQLite (files blob store) and PostgreSQL (database blob store): a
 * regulator refuses (nothing changes) and approves (the bytes are gone, the contract ended with the escrow back to
 * the buyer, the asset out of the DS 22 catalogue, the hashes on the ledger); general data goes without approval;
 * roles and ownership; parallel approvals; a crash between the commit and the removal finished by the sweep.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let otherMerchant: Party;
let store: BlobStore;
const postgres = () => process.env.DATABASE_URL?.startsWith('postgres') ?? false;

/** Bytes both the important and the general asset upload as their Galois keys: one blob, shared. */
const SHARED_KEYS = randomBytes(100);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  otherMerchant = await world.party(['merchant'], operator);
  store = t.app.get<BlobStore>(BLOB_STORE);
});
afterAll(() => t.close());

interface Trade {
  assetId: string;
  listingId: string;
  contractId: string;
  buyer: Party;
  datasetId: string;
  /** The dataset's chunks: its ciphertext, its relinearisation keys and the shared Galois keys. */
  bytes: Buffer[];
  blobs: string[];
  evaluationSha256: string;
  computationId: string;
}

/** Starts an upload of `bytes` as a dataset of `assetId`: a ciphertext, relinearisation keys and Galois keys. */
async function startDataset(party: Party, assetId: string, bytes: Buffer[]): Promise<string> {
  const started = await party.client.post('/v1/datasets', {
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
  expect(started.status).toBe(201);
  return started.body.id as string;
}

/** Sends chunk `n` of a dataset; the reply's status and body. */
async function putChunk(
  party: Party,
  datasetId: string,
  n: number,
  bytes: Buffer,
): Promise<{ status: number; body: any }> {
  const reply = await fetch(`${party.client.baseUrl}/v1/datasets/${datasetId}/chunks/${n}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${party.client.token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: reply.status, body: await reply.json() };
}

/** An asset of `merchant` with a ready dataset, a published listing, a funded active contract and an evaluation. */
async function trade(level: 'important' | 'general'): Promise<Trade> {
  const assetId = (
    await registerAsset(
      merchant.client,
      operator,
      assetBody(
        merchant.organisationId,
        level === 'important'
          ? {
              classification: { affectedObject: 'economic-operation', harm: 'serious' },
              openAttribute: 'not-open',
            }
          : {},
      ),
    )
  ).id;
  const listingId = await publishedListing(merchant.client, operator, listingBody([assetId]));
  const buyer = await world.party(['buyer'], operator);
  const terms = computeTerms();
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms,
    state: 'signed',
  });
  expect((await deposit(operator, buyer.organisationId, '450000')).status).toBe(201);
  expect((await fund(buyer.client, contract.id, randomUUID())).status).toBe(200);
  const bytes = [randomBytes(100), randomBytes(100), SHARED_KEYS];
  const datasetId = await startDataset(merchant, assetId, bytes);
  for (let n = 0; n < bytes.length; n++)
    expect((await putChunk(merchant, datasetId, n, bytes[n])).status).toBe(201);
  expect((await merchant.client.post(`/v1/datasets/${datasetId}/complete`)).status).toBe(200);
  const evaluationSha256 = (await store.put(randomBytes(64))).sha256;
  const computationId = await evaluatedComputation(contract.id, datasetId, buyer, evaluationSha256);
  return {
    assetId,
    listingId,
    contractId: contract.id,
    buyer,
    datasetId,
    bytes,
    blobs: bytes.map(sha),
    evaluationSha256,
    computationId,
  };
}

/** A computation the sandbox evaluated, waiting for the data holder's agent (its evaluation in the blob store). */
async function evaluatedComputation(
  contractId: string,
  datasetId: string,
  buyer: Party,
  evaluationSha256: string,
): Promise<string> {
  const em = t.app.get(MikroORM).em.fork();
  const id = randomUUID();
  const now = t.clock.now();
  em.create(Computation, {
    id,
    contractId,
    datasetId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    submittedByAccountId: buyer.accountId,
    recipe: 'mean',
    bindings: { x: 'vehicle_count' },
    filters: [],
    paramsSha256: null,
    queryKey: randomBytes(32).toString('hex'),
    jobSpec: { computationId: id } as unknown as ComputationJobSpec,
    rowSet: [[0, 10]],
    rowsAggregated: 10,
    minRows: 10,
    epsilonMilli: 1000,
    state: 'evaluated',
    reasonCode: null,
    reason: null,
    attempt: 1,
    evaluationSha256,
    outputSha256: null,
    inputsSha256: null,
    resultSha256: null,
    epsilonSpentMilli: null,
    meteredUnit: null,
    repeatOf: null,
    queuedAt: now,
    startedAt: now,
    evaluatedAt: now,
    finishedAt: null,
    updatedAt: now,
  });
  await em.flush();
  return id;
}

const sql = <T>(text: string, params: unknown[] = []) => sqlOf(t)<T>(text, params);
const one = async <T>(text: string, params: unknown[]) => (await sql<T>(text, params))[0];

/** Whether the bytes of `sha256` are still stored, checked in the store and under it (file or rows). */
async function stored(sha256: string): Promise<boolean> {
  const has = await store.has(sha256);
  if (store instanceof FileBlobStore) expect(existsSync(store.pathOf(sha256))).toBe(has);
  else {
    const rows = await sql<{ n: number | string }>('select count(*) as n from "blobs" where "sha256" = ?', [
      sha256,
    ]);
    expect(Number(rows[0].n) > 0).toBe(has);
  }
  return has;
}

/** Whether a dataset not destroyed still names the shared Galois keys. */
async function sharedStillLive(): Promise<boolean> {
  const rows = await sql<{ n: number | string }>(
    `select count(*) as n from "dataset_chunks" c join "datasets" d on d."id" = c."dataset_id"
     where c."sha256" = ? and d."state" <> 'destroyed'`,
    [sha(SHARED_KEYS)],
  );
  return Number(rows[0].n) > 0;
}

/** The trade's own bytes are gone; the shared keys stay exactly while a dataset not destroyed names them. */
async function expectGone(w: Trade): Promise<void> {
  for (const h of [w.blobs[0], w.blobs[1], w.evaluationSha256]) expect(await stored(h)).toBe(false);
  expect(await stored(w.blobs[2])).toBe(await sharedStillLive());
}

const ask = (assetId: string, client = merchant.client) =>
  client.post('/v1/destructions', { assetId, reason: '合同目的已实现，申请销毁平台所存数据。' });
const decide = (id: string, decision: 'approve' | 'refuse', client = regulator) =>
  client.post(`/v1/destructions/${id}/decision`, { decision, reason: '已核实' });

describe('an important asset', () => {
  let w: Trade;
  beforeAll(async () => {
    w = await trade('important');
    // Another asset's dataset with the same Galois keys: those bytes stay while it lives.
    await trade('general');
  });

  it('keeps everything when a regulator refuses, and destroys everything when one approves', async () => {
    expect(store.kind).toBe(postgres() ? 'database' : 'files');
    const buyerAvailable = `available:${w.buyer.organisationId}`;
    expect(availableOf(await balances(operator), buyerAvailable)).toBe(0n);

    const first = await ask(w.assetId);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: 'requested', assetLevel: 'important', needsApproval: true });
    expect((await ask(w.assetId)).body).toMatchObject({ code: 'destruction_open' });
    expect((await decide(first.body.id, 'refuse')).body).toMatchObject({
      state: 'refused',
      decisionReason: '已核实',
    });
    expect((await decide(first.body.id, 'approve')).status).toBe(409);
    for (const h of [...w.blobs, w.evaluationSha256]) expect(await stored(h)).toBe(true);
    expect(await one('select "status" from "assets" where "id" = ?', [w.assetId])).toEqual({
      status: 'registered',
    });
    expect(await one('select "state" from "contracts" where "id" = ?', [w.contractId])).toEqual({
      state: 'active',
    });

    const second = await ask(w.assetId);
    expect(second.status).toBe(201);
    const approved = await decide(second.body.id, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'executed', needsApproval: true });
    expect(approved.body.bytesRemovedAt).not.toBeNull();
    const inventory = approved.body.inventory;
    expect(inventory.datasets).toEqual([
      expect.objectContaining({ datasetId: w.datasetId, blobs: [...w.blobs].sort() }),
    ]);
    expect(inventory.evaluations).toEqual([{ computationId: w.computationId, sha256: w.evaluationSha256 }]);
    expect(inventory.contractsEnded).toEqual([w.contractId]);
    expect(inventory.listingsWithdrawn).toEqual([w.listingId]);

    // The bytes are gone; the shared evaluation keys stay while the general asset's dataset uses them.
    for (const h of [w.blobs[0], w.blobs[1], w.evaluationSha256]) expect(await stored(h)).toBe(false);
    expect(await sharedStillLive()).toBe(true);
    expect(await stored(w.blobs[2])).toBe(true);
    expect(inventory.sharedBlobsKept).toEqual([w.blobs[2]]);
    await store.remove(w.blobs[0]); // idempotent: nothing there, nothing done
    expect(await stored(w.blobs[0])).toBe(false);

    expect(
      await one('select "state", "end_reason", "escrow" from "contracts" where "id" = ?', [w.contractId]),
    ).toEqual({ state: 'ended', end_reason: 'data_destroyed', escrow: 'refunded' });
    expect(availableOf(await balances(operator), buyerAvailable)).toBe(450000n);
    await expectSound(operator);
    expect(await one('select "status" from "assets" where "id" = ?', [w.assetId])).toEqual({
      status: 'destroyed',
    });
    expect(await one('select "status" from "listings" where "id" = ?', [w.listingId])).toEqual({
      status: 'withdrawn',
    });
    expect(await one('select "state" from "datasets" where "id" = ?', [w.datasetId])).toEqual({
      state: 'destroyed',
    });
    expect(
      await one('select "state", "reason_code" from "computations" where "id" = ?', [w.computationId]),
    ).toEqual({ state: 'refused', reason_code: 'data_destroyed' });

    const entries = await ledgerOf(t, second.body.id);
    expect(entries.map((e) => e.action).filter((a) => a.startsWith('destruction.'))).toEqual([
      'destruction.requested',
      'destruction.approved',
      'destruction.executed',
    ]);
    const executed = entries.find((e) => e.action === 'destruction.executed')!;
    expect(executed.payload.inventory.datasets[0].blobs).toEqual([...w.blobs].sort());
    expect(JSON.stringify(executed.payload)).not.toContain(SHARED_KEYS.toString('base64'));
    expect((await ledgerOf(t, w.buyer.organisationId)).map((e) => e.action)).toContain(
      'destruction.executed',
    );
    expect((await ledgerOf(t, w.contractId)).map((e) => e.action)).toContain('contract.ended');
    const catalogue = (await ledgerOf(t, w.assetId)).filter(
      (e) => e.action === 'catalogue.importantDataChanged',
    );
    expect(catalogue.at(-1)?.payload).toMatchObject({ change: 'removed', status: 'destroyed' });
    const listed = await merchant.client.get(`/v1/organisations/${merchant.organisationId}/important-data`);
    if (listed.status === 200) expect(JSON.stringify(listed.body)).not.toContain(w.assetId);

    // Nothing is served or computed on it any more.
    const computation = await w.buyer.client.post('/v1/computations', {
      contractId: w.contractId,
      recipe: 'mean',
      bindings: { x: 'vehicle_count' },
    });
    expect(computation.status).toBe(422);
    const chunk = await fetch(`${merchant.client.baseUrl}/v1/datasets/${w.datasetId}/chunks/0`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${merchant.client.token}`,
        'content-type': 'application/octet-stream',
      },
      body: randomBytes(100),
    });
    expect(chunk.status).toBe(404);
    expect(((await chunk.json()) as { code: string }).code).toBe('data_destroyed');
    expect((await ask(w.assetId)).body).toMatchObject({ code: 'asset_destroyed' });
    expect(await t.app.get(DestructionService).sweep()).toBe(0);
  });
});

describe('general data', () => {
  it('is destroyed in the same request, without approval; shared keys stay while another dataset uses them', async () => {
    const w = await trade('general');
    const reply = await ask(w.assetId);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ state: 'executed', needsApproval: false, assetLevel: 'general' });
    await expectGone(w);
    expect(await one('select "end_reason" from "contracts" where "id" = ?', [w.contractId])).toEqual({
      end_reason: 'data_destroyed',
    });
    expect((await decide(reply.body.id, 'approve')).body).toMatchObject({ code: 'destruction_decided' });
  });
});

describe('who may', () => {
  let w: Trade;
  beforeAll(async () => {
    w = await trade('important');
  });

  it('lets only the asset’s merchant ask, regulators decide, and the asker or overseers read', async () => {
    const buyerAsks = await ask(w.assetId, w.buyer.client);
    expect(buyerAsks.status).toBe(403);
    expect((await ask(w.assetId, otherMerchant.client)).status).toBe(404);
    expect((await ask(randomUUID())).status).toBe(404);
    const asked = await ask(w.assetId);
    expect(asked.status).toBe(201);
    const id = asked.body.id as string;
    expect((await decide(id, 'approve', merchant.client)).status).toBe(403);
    expect((await decide(id, 'approve', operator)).status).toBe(403);
    expect((await otherMerchant.client.get(`/v1/destructions/${id}`)).status).toBe(404);
    expect((await otherMerchant.client.post(`/v1/destructions/${id}/withdrawal`)).status).toBe(404);
    expect((await merchant.client.get(`/v1/destructions/${id}`)).body).toMatchObject({
      id,
      state: 'requested',
    });
    expect((await regulator.get(`/v1/destructions/${id}`)).status).toBe(200);
    const mine = await merchant.client.get('/v1/destructions?state=requested');
    expect(mine.body.items.map((d: { id: string }) => d.id)).toContain(id);
    const forAsset = await merchant.client.get(`/v1/destructions?assetId=${w.assetId}`);
    expect(forAsset.body.items.map((d: { id: string; assetId: string }) => [d.id, d.assetId])).toEqual([
      [id, w.assetId],
    ]);
    expect((await merchant.client.get('/v1/destructions?assetId=not-a-uuid')).status).toBe(400);
    expect((await otherMerchant.client.get('/v1/destructions')).body.items).toEqual([]);
    expect((await regulator.get('/v1/destructions?limit=1')).body.items).toHaveLength(1);
    expect((await merchant.client.post(`/v1/destructions/${id}/withdrawal`)).body).toMatchObject({
      state: 'withdrawn',
    });
    expect((await merchant.client.post(`/v1/destructions/${id}/withdrawal`)).status).toBe(409);
    expect((await decide(id, 'approve')).status).toBe(409);
    expect((await regulator.post('/v1/destructions', { assetId: w.assetId, reason: 'x' })).status).toBe(403);
  });

  it('approves once when two regulators approve at the same time', async () => {
    const asked = await ask(w.assetId);
    expect(asked.status).toBe(201);
    const second = (await world.overseer('regulator')).client;
    const replies = await Promise.all([
      decide(asked.body.id, 'approve'),
      decide(asked.body.id, 'approve', second),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const executed = (await ledgerOf(t, asked.body.id)).filter((e) => e.action === 'destruction.executed');
    expect(executed).toHaveLength(1);
    expect(availableOf(await balances(operator), `available:${w.buyer.organisationId}`)).toBe(450000n);
    await expectSound(operator);
  });

  it('refuses a second open request when two race', async () => {
    const v = await trade('important');
    const replies = await Promise.all([ask(v.assetId), ask(v.assetId)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});

describe('a crash between the commit and the removal', () => {
  it('leaves the bytes to the sweep, which removes them once', async () => {
    const w = await trade('general');
    const remove = store.remove.bind(store);
    const spy = jest
      .spyOn(store, 'remove')
      .mockImplementationOnce(() => Promise.reject(new Error('disk gone')));
    try {
      const reply = await ask(w.assetId);
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ state: 'executed', bytesRemovedAt: null });
      const left = await sql<{ sha256: string }>(
        'select "sha256" from "destroyed_blobs" where "destruction_id" = ? and "removed_at" is null',
        [reply.body.id],
      );
      expect(left.length).toBeGreaterThan(0);
      for (const { sha256 } of left) expect(await stored(sha256)).toBe(true);
      spy.mockImplementation(remove);
      const service = t.app.get(DestructionService);
      expect(await service.sweep()).toBe(left.length);
      expect(await service.sweep()).toBe(0);
      await expectGone(w);
      expect(
        (await merchant.client.get(`/v1/destructions/${reply.body.id}`)).body.bytesRemovedAt,
      ).not.toBeNull();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the same bytes stored again around the removal (content-addressed blobs)', () => {
  /** Executes the destruction of a general asset with the removal after the commit not run (a crash there). */
  async function executedNotRemoved(w: Trade): Promise<string> {
    // `bytes` is the service's removal step; failing it once is a crash right after the commit.
    const { bytes } = t.app.get<DestructionService, { bytes: { remove(id: string): Promise<number> } }>(
      DestructionService,
    );
    const spy = jest.spyOn(bytes, 'remove').mockRejectedValueOnce(new Error('crashed after the commit'));
    try {
      const reply = await ask(w.assetId);
      expect(reply.body).toMatchObject({ state: 'executed', bytesRemovedAt: null });
      expect(await stored(w.blobs[0])).toBe(true);
      return reply.body.id as string;
    } finally {
      spy.mockRestore();
    }
  }

  /** Another merchant's new dataset whose ciphertext is the very bytes of `w`'s ciphertext. */
  async function sameCiphertext(w: Trade): Promise<{ datasetId: string; bytes: Buffer[] }> {
    const assetId = (
      await registerAsset(otherMerchant.client, operator, assetBody(otherMerchant.organisationId))
    ).id;
    const bytes = [w.bytes[0], randomBytes(100), randomBytes(100)];
    return { datasetId: await startDataset(otherMerchant, assetId, bytes), bytes };
  }

  const row = (destructionId: string, sha256: string) =>
    one<{ outcome: string | null; removed_at: unknown; removing_at: unknown }>(
      `select "outcome", "removed_at", "removing_at" from "destroyed_blobs"
       where "destruction_id" = ? and "store" = 'blobs' and "sha256" = ?`,
      [destructionId, sha256],
    );
  const sweep = () => t.app.get(DestructionService).sweep();
  const chunkCount = async (datasetId: string) =>
    Number(
      (
        await one<{ n: number | string }>(
          'select count(*) as n from "dataset_chunks" where "dataset_id" = ?',
          [datasetId],
        )
      ).n,
    );

  it('keeps the bytes a new dataset stored between the commit and the removal, and the ledger says so', async () => {
    const w = await trade('general');
    const destructionId = await executedNotRemoved(w);
    const next = await sameCiphertext(w);
    expect((await putChunk(otherMerchant, next.datasetId, 0, next.bytes[0])).status).toBe(201);

    await sweep();
    // The new dataset's chunk is whole and readable; the destruction's other bytes are gone.
    expect(await readAll(await store.open(w.blobs[0]))).toEqual(w.bytes[0]);
    for (const h of [w.blobs[1], w.evaluationSha256]) expect(await stored(h)).toBe(false);
    expect(await row(destructionId, w.blobs[0])).toMatchObject({ outcome: 'kept' });
    expect((await row(destructionId, w.blobs[0])).removed_at).not.toBeNull();
    expect((await row(destructionId, w.blobs[1])).outcome).toBe('removed');
    const kept = (await ledgerOf(t, destructionId)).filter((e) => e.action === 'destruction.bytesKept');
    expect(kept.map((e) => e.payload)).toEqual([
      expect.objectContaining({ destructionId, assetId: w.assetId, store: 'blobs', sha256: w.blobs[0] }),
    ]);
    expect(
      (await merchant.client.get(`/v1/destructions/${destructionId}`)).body.bytesRemovedAt,
    ).not.toBeNull();
  });

  it('refuses a chunk whose bytes the removal took while it was stored (409 bytes_destroyed); sent again, it is kept', async () => {
    const w = await trade('general');
    const destructionId = await executedNotRemoved(w);
    const next = await sameCiphertext(w);
    // The removal runs after the chunk's bytes landed (on the destroyed blob) and before the chunk is recorded.
    const put = store.put.bind(store);
    const spy = jest.spyOn(store, 'put').mockImplementationOnce(async (source, options) => {
      const landed = await put(source, options);
      await sweep();
      return landed;
    });
    try {
      const refused = await putChunk(otherMerchant, next.datasetId, 0, next.bytes[0]);
      expect([refused.status, refused.body.code]).toEqual([409, 'bytes_destroyed']);
      expect(refused.body.message).toContain('send them again');
    } finally {
      spy.mockRestore();
    }
    expect(await chunkCount(next.datasetId)).toBe(0);
    expect(await row(destructionId, w.blobs[0])).toMatchObject({ outcome: 'removed' });
    expect(await stored(w.blobs[0])).toBe(false);

    expect((await putChunk(otherMerchant, next.datasetId, 0, next.bytes[0])).status).toBe(201);
    expect(await readAll(await store.open(w.blobs[0]))).toEqual(w.bytes[0]);
    expect(await chunkCount(next.datasetId)).toBe(1);
  });

  it('refuses a chunk whose bytes are being removed (409 bytes_being_destroyed); sent again after, it is kept', async () => {
    const w = await trade('general');
    const destructionId = await executedNotRemoved(w);
    const next = await sameCiphertext(w);
    const remove = store.remove.bind(store);
    let during: { status: number; body: any } | undefined;
    const spy = jest.spyOn(store, 'remove').mockImplementation(async (sha256) => {
      if (sha256 === w.blobs[0]) during = await putChunk(otherMerchant, next.datasetId, 0, next.bytes[0]);
      return remove(sha256);
    });
    try {
      await sweep();
    } finally {
      spy.mockRestore();
    }
    expect([during?.status, during?.body.code]).toEqual([409, 'bytes_being_destroyed']);
    expect(await chunkCount(next.datasetId)).toBe(0);
    expect(await row(destructionId, w.blobs[0])).toMatchObject({ outcome: 'removed' });
    expect(await stored(w.blobs[0])).toBe(false);

    expect((await putChunk(otherMerchant, next.datasetId, 0, next.bytes[0])).status).toBe(201);
    expect(await readAll(await store.open(w.blobs[0]))).toEqual(w.bytes[0]);
  });

  it('guards delivery files alike: a file whose bytes are being removed is refused, then stored when sent again', async () => {
    /** A published file-delivery listing of `party` on a new open asset. */
    const fileListing = async (party: Party) => {
      const assetId = (
        await registerAsset(party.client, operator, assetBody(party.organisationId, assetVariants.open))
      ).id;
      const listingId = await publishedListing(
        party.client,
        operator,
        listingBody([assetId], { delivery: 'file', recipes: [], minRows: null, billingUnits: ['one-off'] }),
      );
      return { assetId, listingId };
    };
    const sendFile = async (party: Party, listingId: string, bytes: Buffer) => {
      const reply = await fetch(`${party.client.baseUrl}/v1/listings/${listingId}/files?name=counts.csv`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${party.client.token}`,
          'content-type': 'application/octet-stream',
        },
        body: bytes,
      });
      return { status: reply.status, body: await reply.json() };
    };
    const bytes = randomBytes(64);
    const destroyed = await fileListing(merchant);
    expect((await sendFile(merchant, destroyed.listingId, bytes)).status).toBe(201);
    const next = await fileListing(otherMerchant);

    const files = t.app.get(DeliveryFileStore);
    const remove = files.remove.bind(files);
    let during: { status: number; body: any } | undefined;
    const spy = jest.spyOn(files, 'remove').mockImplementation(async (sha256) => {
      if (sha256 === sha(bytes)) during = await sendFile(otherMerchant, next.listingId, bytes);
      return remove(sha256);
    });
    try {
      expect((await ask(destroyed.assetId)).body).toMatchObject({ state: 'executed' });
    } finally {
      spy.mockRestore();
    }
    expect([during?.status, during?.body.code]).toEqual([409, 'bytes_being_destroyed']);
    expect((await otherMerchant.client.get(`/v1/listings/${next.listingId}/files`)).body.files).toEqual([]);
    expect(await files.has(sha(bytes))).toBe(false);
    expect((await sendFile(otherMerchant, next.listingId, bytes)).status).toBe(201);
    expect(await files.has(sha(bytes))).toBe(true);
  });

  it('never records a chunk whose bytes are then removed, with the chunk and the removal in parallel', async () => {
    for (let round = 0; round < 6; round++) {
      const w = await trade('general');
      const destructionId = await executedNotRemoved(w);
      const next = await sameCiphertext(w);
      const [reply] = await Promise.all([putChunk(otherMerchant, next.datasetId, 0, next.bytes[0]), sweep()]);
      await sweep(); // whatever the race left pending
      const recorded = await chunkCount(next.datasetId);
      if (reply.status === 201) {
        // Recorded: the removal saw it and kept the bytes, or removed them first and the put stored them afresh.
        expect(recorded).toBe(1);
        expect(await readAll(await store.open(w.blobs[0]))).toEqual(w.bytes[0]);
        expect(['kept', 'removed']).toContain((await row(destructionId, w.blobs[0])).outcome);
      } else {
        // Refused and not recorded: the destroyed blob's removal went through. (A put that landed after the
        // removal leaves the sender's own fresh copy unreferenced, as any refused upload does.)
        expect([reply.status, recorded]).toEqual([409, 0]);
        expect(['bytes_destroyed', 'bytes_being_destroyed']).toContain(reply.body.code);
        expect((await row(destructionId, w.blobs[0])).outcome).toBe('removed');
        // Sent again, it is stored and readable.
        expect((await putChunk(otherMerchant, next.datasetId, 0, next.bytes[0])).status).toBe(201);
        expect(await readAll(await store.open(w.blobs[0]))).toEqual(w.bytes[0]);
      }
    }
  });
});
