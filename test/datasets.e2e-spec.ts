import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { BLOB_STORE, readAll, type BlobStore } from '@app/blobs';
import { chunksRoot } from '@app/datasets';
import { ColumnEncryptor, generateKeys, sealSecretKey, type SecretKeyMaterial } from '@app/he';
import { EvaluationSession } from '@app/he/evaluation';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { countRows, ledgerOf, sqlOf } from './support/db-probe.js';
import { HttpClient, type Reply } from './support/http-client.js';
import { responseSchema, schemaProblems, type OpenApiDocument } from './support/openapi-conformance.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';

/**
 * Encrypted dataset upload (issue 11 item 2, P1): a merchant holding the asset's processing or operation right
 * declares a manifest, uploads its chunks (resumable, each checked against its SHA-256, idempotent) into the blob
 * store and completes the version; a ready version is immutable and a new upload is a new version.
 */

let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let rightsHolder: Party;
let stranger: Party;
let buyer: Party;
let assetId: string;
let keys: SecretKeyMaterial;
let store: BlobStore;

let openApi: OpenApiDocument | undefined;
const shapeProblems: string[] = [];
let checkedReplies = 0;
const ROUTES: [string, RegExp, string][] = [
  ['POST', /^\/v1\/datasets$/, '/v1/datasets'],
  ['GET', /^\/v1\/datasets$/, '/v1/datasets'],
  ['GET', /^\/v1\/datasets\/[^/]+$/, '/v1/datasets/{id}'],
  ['POST', /^\/v1\/datasets\/[^/]+\/complete$/, '/v1/datasets/{id}/complete'],
  ['PUT', /^\/v1\/datasets\/[^/]+\/chunks\/[^/]+$/, '/v1/datasets/{id}/chunks/{n}'],
];

/** Every successful reply of a dataset route is checked against the OpenAPI document. */
function checkShape(method: string, path: string, reply: Reply): void {
  const bare = path.split('?')[0];
  const route = ROUTES.find(([m, pattern]) => m === method && pattern.test(bare));
  if (reply.status < 300 && openApi && route) {
    checkedReplies++;
    const schema = responseSchema(openApi, method, route[2], reply.status);
    shapeProblems.push(...schemaProblems(openApi, schema, reply.body).map((p) => `${method} ${bare}: ${p}`));
  }
}
const send = HttpClient.prototype.request;
HttpClient.prototype.request = async function (this: HttpClient, method, path, body, headers) {
  const reply: Reply = await send.call(this, method, path, body, headers);
  checkShape(method, path, reply);
  return reply;
} as typeof send;

const ROWS = 10_000; // two BFV ciphertexts of 8192 slots
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Part {
  entry: Record<string, unknown>;
  bytes: Buffer;
}

/** What the CLI would upload for the fixture asset: vehicle_count encrypted (BFV), intersection_id public. */
async function realParts(): Promise<Part[]> {
  const encryptor = await ColumnEncryptor.open(keys);
  try {
    const parts: Part[] = [];
    for (let index = 0; index * encryptor.slots < ROWS; index++) {
      const values = Array.from(
        { length: Math.min(encryptor.slots, ROWS - index * encryptor.slots) },
        (_, i) => (i * 7) % 500,
      );
      const blob = encryptor.encrypt(values);
      parts.push({
        entry: { kind: 'ciphertext', column: 'vehicle_count', index },
        bytes: Buffer.from(blob.bytes),
      });
    }
    const ids = Buffer.alloc(ROWS * 8);
    for (let r = 0; r < ROWS; r++) ids.writeDoubleLE(r % 1200, r * 8);
    parts.push({ entry: { kind: 'publicColumn', column: 'intersection_id' }, bytes: ids });
    for (const kind of ['publicKey', 'relinKeys', 'galoisKeys'] as const) {
      parts.push({ entry: { kind, paramSet: 'bfv-8192-t50' }, bytes: Buffer.from(keys[kind]) });
    }
    return parts;
  } finally {
    encryptor.dispose();
  }
}

/** Parts of the same shape with random bytes: the exchange never looks inside a ciphertext. */
function randomParts(): Part[] {
  const part = (entry: Record<string, unknown>, size: number) => ({ entry, bytes: randomBytes(size) });
  return [
    part({ kind: 'ciphertext', column: 'vehicle_count', index: 0 }, 4000),
    part({ kind: 'ciphertext', column: 'vehicle_count', index: 1 }, 3000),
    part({ kind: 'relinKeys', paramSet: 'bfv-8192-t50' }, 2000),
    part({ kind: 'galoisKeys', paramSet: 'bfv-8192-t50' }, 5000),
  ];
}

const manifestFor = (parts: Part[], overrides: Record<string, unknown> = {}) => ({
  assetId,
  paramSet: 'bfv-8192-t50',
  rowCount: ROWS,
  columns: [
    { name: 'vehicle_count', encrypted: true, spec: { kind: 'integer', min: 0, max: 100_000 } },
    ...(parts.some((p) => p.entry.kind === 'publicColumn')
      ? [{ name: 'intersection_id', encrypted: false }]
      : []),
  ],
  chunks: parts.map((p): Record<string, unknown> => ({
    ...p.entry,
    sha256: sha256(p.bytes),
    sizeBytes: p.bytes.length,
  })),
  ...overrides,
});

async function putChunk(
  client: HttpClient,
  id: string,
  n: number | string,
  bytes: Uint8Array,
): Promise<Reply> {
  const response = await fetch(`${client.baseUrl}/v1/datasets/${id}/chunks/${n}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  const text = await response.text();
  const reply = {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
  checkShape('PUT', `/v1/datasets/${id}/chunks/${n}`, reply);
  return reply;
}

/** Sends part of a chunk and drops the connection, as an upload interrupted by a network failure. */
function interruptedPut(client: HttpClient, id: string, n: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(`${client.baseUrl}/v1/datasets/${id}/chunks/${n}`);
    const req = httpRequest(url, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${client.token}`,
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.length),
      },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => req.destroy());
  });
}

async function start(
  client: HttpClient,
  parts: Part[],
  overrides: Record<string, unknown> = {},
): Promise<Reply> {
  return client.post('/v1/datasets', manifestFor(parts, overrides));
}

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  openApi = (await world.anonymous.get('/openapi.json')).body;
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  rightsHolder = await world.party(['merchant'], operator);
  stranger = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  assetId = (
    await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        rights: [
          { right: 'holding', organisationId: rightsHolder.organisationId, shareBasisPoints: 10_000 },
          { right: 'processing', organisationId: merchant.organisationId, shareBasisPoints: 10_000 },
          { right: 'operation', organisationId: merchant.organisationId, shareBasisPoints: 10_000 },
        ],
      }),
    )
  ).id;
  keys = await generateKeys('bfv-8192-t50');
  store = t.app.get<BlobStore>(BLOB_STORE);
}, 180_000);
afterAll(() => t.close());

describe('a whole upload', () => {
  it('takes the CLI’s ciphertexts and evaluation keys, then stands ready with the chunks’ Merkle root in the ledger', async () => {
    const parts = await realParts();
    const started = await start(merchant.client, parts);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      assetId,
      state: 'uploading',
      scheme: 'bfv',
      paramSet: 'bfv-8192-t50',
      rowCount: ROWS,
      chunkCount: parts.length,
      receivedChunks: [],
      missingChunks: parts.map((_, n) => n),
      chunksRoot: null,
    });
    const id = started.body.id as string;
    for (const [n, part] of parts.entries()) {
      const put = await putChunk(merchant.client, id, n, part.bytes);
      expect(put.status).toBe(201);
      expect(put.body).toMatchObject({
        seq: n,
        sha256: sha256(part.bytes),
        sizeBytes: part.bytes.length,
        created: true,
      });
    }
    const shown = await merchant.client.get(`/v1/datasets/${id}`);
    expect(shown.body).toMatchObject({
      state: 'uploading',
      missingChunks: [],
      receivedBytes: started.body.totalBytes,
    });

    const done = await merchant.client.post(`/v1/datasets/${id}/complete`);
    expect(done.status).toBe(200);
    const root = chunksRoot(parts.map((p) => sha256(p.bytes)));
    expect(done.body).toMatchObject({
      state: 'ready',
      chunksRoot: root,
      manifestHash: started.body.manifestHash,
    });
    expect(done.body.completedAt).toEqual(expect.any(String));

    const entries = await ledgerOf(t, id);
    expect(entries.map((e) => e.action)).toEqual(['dataset.uploadStarted', 'dataset.completed']);
    expect(entries[0].payload).toMatchObject({
      manifestHash: started.body.manifestHash,
      version: started.body.version,
    });
    expect(entries[1].payload).toMatchObject({ manifestHash: started.body.manifestHash, chunksRoot: root });

    // What the sandbox will read back: the evaluation keys open an evaluation session, the ciphertexts are intact.
    const stored = async (kind: string) => {
      const n = parts.findIndex((p) => p.entry.kind === kind);
      return new Uint8Array(await readAll(await store.open(sha256(parts[n].bytes))));
    };
    const session = await EvaluationSession.open({
      paramSet: 'bfv-8192-t50',
      relinKeys: await stored('relinKeys'),
      galoisKeys: await stored('galoisKeys'),
    });
    session.he.dispose();
    expect(Buffer.compare(await stored('ciphertext'), parts[0].bytes)).toBe(0);
  }, 120_000);
});

describe('resuming', () => {
  it('an interrupted upload keeps what arrived and resumes at the missing chunks', async () => {
    const parts = randomParts();
    const id = (await start(merchant.client, parts)).body.id as string;
    expect((await putChunk(merchant.client, id, 0, parts[0].bytes)).status).toBe(201);
    expect((await putChunk(merchant.client, id, 2, parts[2].bytes)).status).toBe(201);
    await interruptedPut(merchant.client, id, 1, parts[1].bytes);

    const shown = await merchant.client.get(`/v1/datasets/${id}`);
    expect(shown.body).toMatchObject({ state: 'uploading', receivedChunks: [0, 2], missingChunks: [1, 3] });
    expect(await store.has(sha256(parts[1].bytes))).toBe(false);

    const early = await merchant.client.post(`/v1/datasets/${id}/complete`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'chunks_missing' });
    expect(early.body.message).toContain('1, 3');

    for (const n of shown.body.missingChunks as number[]) {
      expect((await putChunk(merchant.client, id, n, parts[n].bytes)).status).toBe(201);
    }
    expect((await merchant.client.post(`/v1/datasets/${id}/complete`)).body.state).toBe('ready');
  });
});

describe('refused chunks', () => {
  let id: string;
  let parts: Part[];
  beforeAll(async () => {
    parts = randomParts();
    id = (await start(merchant.client, parts)).body.id as string;
  });

  it('bytes that do not hash to the manifest’s SHA-256 are 422 and nothing is kept', async () => {
    const wrong = Buffer.from(parts[0].bytes);
    wrong[10] ^= 0xff;
    const reply = await putChunk(merchant.client, id, 0, wrong);
    expect(reply.status).toBe(422);
    expect(reply.body.code).toBe('sha256_mismatch');
    expect(await store.has(sha256(wrong))).toBe(false);
    expect((await merchant.client.get(`/v1/datasets/${id}`)).body.receivedChunks).toEqual([]);
    const longer = await putChunk(merchant.client, id, 0, Buffer.concat([parts[0].bytes, Buffer.from('x')]));
    expect(longer.status).toBe(422);
  });

  it('a chunk number outside the manifest is 404, one that is no number 400', async () => {
    expect((await putChunk(merchant.client, id, 4, parts[0].bytes)).body.code).toBe('chunk_out_of_range');
    expect((await putChunk(merchant.client, id, 4, parts[0].bytes)).status).toBe(404);
    for (const n of ['-1', '1.5', '01', 'abc', '99999999999']) {
      expect((await putChunk(merchant.client, id, n, parts[0].bytes)).status).toBe(400);
    }
  });

  it('a chunk in another body type is 415; an empty one 400', async () => {
    const json = await merchant.client.request('PUT', `/v1/datasets/${id}/chunks/0`, { bytes: 'no' });
    expect(json.status).toBe(415);
    expect((await putChunk(merchant.client, id, 0, new Uint8Array(0))).status).toBe(400);
  });

  it('a sealed secret-key file is refused, whatever the manifest calls it', async () => {
    const sealed = Buffer.from(await sealSecretKey(keys, 'a passphrase of some length'));
    const sneaky = [
      ...randomParts().slice(0, 2),
      { entry: { kind: 'relinKeys', paramSet: 'bfv-8192-t50' }, bytes: sealed },
      randomParts()[3],
    ];
    const other = (await start(merchant.client, sneaky)).body.id as string;
    const reply = await putChunk(merchant.client, other, 2, sealed);
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ code: 'secret_key_refused', article: 'DS 56' });
    expect(await store.has(sha256(sealed))).toBe(false);
  });
});

describe('manifests refused', () => {
  it('names what is wrong and records nothing', async () => {
    const before = await countRows(t, 'datasets');
    const parts = randomParts();
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { columns: [{ name: 'speed', encrypted: true, spec: { kind: 'integer', min: 0, max: 9 } }] },
        422,
        'column_not_registered',
      ],
      [{ columns: [{ name: 'vehicle_count', encrypted: false }] }, 422, 'column_not_public'],
      [
        {
          chunks: [
            ...manifestFor(parts).chunks,
            { kind: 'secretKey', paramSet: 'bfv-8192-t50', sha256: 'a'.repeat(64), sizeBytes: 10 },
          ],
        },
        422,
        'secret_key_refused',
      ],
      [{ chunks: manifestFor(parts).chunks.slice(1) }, 400, 'invalid_manifest'],
      [{ chunks: manifestFor(parts).chunks.filter((c) => c.kind !== 'galoisKeys') }, 400, 'invalid_manifest'],
      [{ rowCount: 20_000 }, 400, 'invalid_manifest'],
      [{ paramSet: 'ckks-8192-d1' }, 400, 'invalid_manifest'],
    ];
    for (const [overrides, status, code] of cases) {
      const reply = await start(merchant.client, parts, overrides);
      expect({ overrides, status: reply.status, code: reply.body.code }).toEqual({ overrides, status, code });
    }
    expect(await countRows(t, 'datasets')).toBe(before);
  });

  it('only a holder of the processing or operation right starts one, and only on a registered asset', async () => {
    const parts = randomParts();
    const holdingOnly = await start(rightsHolder.client, parts);
    expect(holdingOnly.status).toBe(403);
    expect(holdingOnly.body.code).toBe('upload_right_required');
    expect((await start(stranger.client, parts)).status).toBe(404);
    expect((await start(buyer.client, parts)).status).toBe(403);
    const draft = await merchant.client.post('/v1/assets', assetBody(merchant.organisationId));
    const reply = await start(merchant.client, parts, { assetId: draft.body.id });
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('asset_not_registered');
  });
});

describe('versions and readers', () => {
  let first: string;
  let second: string;
  beforeAll(async () => {
    const upload = async () => {
      t.clock.advance(1000);
      const parts = randomParts();
      const id = (await start(merchant.client, parts)).body.id as string;
      for (const [n, p] of parts.entries()) await putChunk(merchant.client, id, n, p.bytes);
      await merchant.client.post(`/v1/datasets/${id}/complete`);
      return id;
    };
    first = await upload();
    second = await upload();
  });

  it('a new upload is the next version; a ready version does not change', async () => {
    const a = (await merchant.client.get(`/v1/datasets/${first}`)).body;
    const b = (await merchant.client.get(`/v1/datasets/${second}`)).body;
    expect(b.version).toBe(a.version + 1);
    expect([a.state, b.state]).toEqual(['ready', 'ready']);
    const again = await merchant.client.post(`/v1/datasets/${first}/complete`);
    expect(again.body).toMatchObject({
      state: 'ready',
      completedAt: a.completedAt,
      chunksRoot: a.chunksRoot,
    });
    expect((await ledgerOf(t, first)).map((e) => e.action)).toEqual([
      'dataset.uploadStarted',
      'dataset.completed',
    ]);
  });

  it('lists an asset’s versions newest first, a page at a time', async () => {
    const all = await merchant.client.get(`/v1/datasets?assetId=${assetId}&limit=200`);
    const ids = (all.body.datasets as { id: string }[]).map((d) => d.id);
    expect(ids.slice(0, 2)).toEqual([second, first]);
    const times = (all.body.datasets as { createdAt: string }[]).map((d) => d.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const page1 = await merchant.client.get(`/v1/datasets?assetId=${assetId}&limit=1`);
    expect(page1.body.datasets.map((d: { id: string }) => d.id)).toEqual([all.body.datasets[0].id]);
    const page2 = await merchant.client.get(
      `/v1/datasets?assetId=${assetId}&limit=1&after=${page1.body.next}`,
    );
    expect(page2.body.datasets.map((d: { id: string }) => d.id)).toEqual([all.body.datasets[1].id]);
    expect((await merchant.client.get('/v1/datasets?after=forged')).status).toBe(400);
  });

  it('is shown to the uploader, the asset’s rights holders and the overseers; others get 404', async () => {
    for (const reader of [merchant.client, rightsHolder.client, operator, regulator]) {
      expect((await reader.get(`/v1/datasets/${second}`)).status).toBe(200);
      const listed = await reader.get(`/v1/datasets?assetId=${assetId}`);
      expect(listed.body.datasets.map((d: { id: string }) => d.id)).toContain(second);
    }
    for (const other of [stranger.client, buyer.client]) {
      expect((await other.get(`/v1/datasets/${second}`)).status).toBe(404);
      expect((await other.get(`/v1/datasets?assetId=${assetId}`)).status).toBe(404);
      expect((await other.get('/v1/datasets')).body.datasets).toEqual([]);
    }
    // A reader who did not upload it adds nothing to it.
    expect((await rightsHolder.client.post(`/v1/datasets/${second}/complete`)).status).toBe(403);
  });
});

describe('an asset that changed meanwhile', () => {
  it('a version of an asset suspended since the upload started does not become ready', async () => {
    const parts = randomParts();
    const id = (await start(merchant.client, parts)).body.id as string;
    for (const [n, p] of parts.entries()) await putChunk(merchant.client, id, n, p.bytes);
    const setStatus = (status: string) =>
      sqlOf(t)('update "assets" set "status" = ? where "id" = ?', [status, assetId]);
    await setStatus('suspended');
    try {
      const refused = await merchant.client.post(`/v1/datasets/${id}/complete`);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('asset_not_registered');
      expect((await merchant.client.get(`/v1/datasets/${id}`)).body.state).toBe('uploading');
    } finally {
      await setStatus('registered');
    }
    expect((await merchant.client.post(`/v1/datasets/${id}/complete`)).body.state).toBe('ready');
  });
});

describe('races', () => {
  it('the same chunk sent in parallel is received once', async () => {
    const parts = randomParts();
    const id = (await start(merchant.client, parts)).body.id as string;
    const replies = await Promise.all(
      [1, 2, 3, 4, 5].map(() => putChunk(merchant.client, id, 1, parts[1].bytes)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(replies.filter((r) => r.body.created)).toHaveLength(1);
    expect((await merchant.client.get(`/v1/datasets/${id}`)).body.receivedChunks).toEqual([1]);
  });

  it('parallel completions make exactly one transition', async () => {
    const parts = randomParts();
    const id = (await start(merchant.client, parts)).body.id as string;
    for (const [n, p] of parts.entries()) await putChunk(merchant.client, id, n, p.bytes);
    const replies = await Promise.all(
      [1, 2, 3, 4, 5].map(() => merchant.client.post(`/v1/datasets/${id}/complete`)),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(replies.map((r) => r.body.completedAt)).size).toBe(1);
    expect((await ledgerOf(t, id)).filter((e) => e.action === 'dataset.completed')).toHaveLength(1);
  });

  it('parallel starts on one asset get distinct versions', async () => {
    const replies = await Promise.all([1, 2, 3, 4].map(() => start(merchant.client, randomParts())));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.version)).size).toBe(4);
  });
});

it('answers every dataset route in the shape its OpenAPI document gives', () => {
  expect(shapeProblems).toEqual([]);
  expect(checkedReplies).toBeGreaterThan(40);
});
