import { MikroORM } from '@mikro-orm/core';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Contract, DeliveryFileStore } from '@app/trading';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { countRows, ledgerOf, sqlOf } from './support/db-probe.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';

/**
 * File delivery (issue 10 item 5): the merchant of a file-delivery listing uploads, streamed and hashed into
 * DATA_DIR; the buyer downloads under an active contract only, streamed with the hash; every upload and download
 * is a ledger entry, the download's written before its first byte.
 */

const MiB = 1024 * 1024;
const LIMIT = 24 * MiB;

let t: TestApp;
let world: World;
let operator: HttpClient;
let merchant: Party;
let buyer: Party;
let otherBuyer: Party;
let fileListing: string;
let conditionalListing: string;
let notOpenListing: string;
let store: DeliveryFileStore;

const fileTerms = computeTerms({
  delivery: 'file',
  columns: [],
  recipes: [],
  billingUnit: 'one-off',
  computations: null,
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  t = await startTestApp({ DELIVERY_FILE_MAX_BYTES: String(LIMIT) });
  world = new World(t);
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  otherBuyer = await world.party(['buyer'], operator);
  store = t.app.get(DeliveryFileStore);
  const asset = async (variant: Record<string, unknown>) =>
    (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId, variant))).id;
  fileListing = await publishedListing(
    merchant.client,
    operator,
    listingBody([await asset(assetVariants.open)], {
      delivery: 'file',
      recipes: [],
      minRows: null,
      billingUnits: ['one-off'],
    }),
  );
  // The fixture's own asset is conditionally open (DE 31); the other holds personal information (DS 58).
  conditionalListing = await publishedListing(merchant.client, operator, listingBody([await asset({})]));
  notOpenListing = await publishedListing(
    merchant.client,
    operator,
    listingBody([await asset(assetVariants.notOpen)], { recipes: [{ recipe: 'mean', columns: ['visits'] }] }),
  );
}, 180_000);
afterAll(() => t.close());

const sql = <T>(text: string, params: unknown[] = []) => sqlOf(t)<T>(text, params);
const count = (table: string) => countRows(t, table);
const ledger = (subjectId: string) => ledgerOf(t, subjectId);

/** Every blob and temporary file under the store, so a refusal can be shown to leave nothing. */
async function storedFiles(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else out.push(join(dir, entry.name));
    }
  };
  await walk(store.root);
  return out.sort();
}

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function upload(
  client: HttpClient,
  listingId: string,
  body: Uint8Array | AsyncIterable<Uint8Array> | string,
  query: Record<string, string> = { name: 'counts.csv' },
  headers: Record<string, string> = {},
): Promise<Answer> {
  // A stream body needs `duplex: 'half'`, which the RequestInit type does not know yet.
  const init = {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
      ...headers,
    },
    body,
    duplex: 'half',
  } as unknown as RequestInit;
  const response = await fetch(
    `${t.baseUrl}/v1/listings/${listingId}/files?${new URLSearchParams(query).toString()}`,
    init,
  );

  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

async function download(
  client: HttpClient,
  contractId: string,
  fileId: string,
  method = 'GET',
): Promise<{ status: number; bytes: Buffer; body: any; headers: Headers }> {
  const response = await fetch(`${t.baseUrl}/v1/contracts/${contractId}/files/${fileId}`, {
    method,
    headers: { authorization: `Bearer ${client.token}` },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    body = undefined;
  }
  return { status: response.status, bytes, body, headers: response.headers };
}

/** A contract for file terms, active from now for `hours` (the funding route is built elsewhere). */
async function activeContract(
  listingId: string,
  buyerParty: Party,
  hours = 24 * 30,
  state: 'active' | 'signed' = 'active',
): Promise<Contract> {
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyerParty.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms: fileTerms,
    state,
  });
  if (state === 'active') {
    const now = t.clock.now();
    await t.app
      .get(MikroORM)
      .em.fork()
      .nativeUpdate(
        Contract,
        { id: contract.id },
        { fundedAt: now, endsAt: new Date(now.getTime() + hours * 3600_000), escrow: 'held' },
      );
  }
  return contract;
}

const csv = Buffer.from('intersection_id,vehicle_count,mean_speed\nA1,120,32.5\nB7,88,41.0\n', 'utf8');
let csvFile: { id: string; sha256: string };

describe('upload', () => {
  it('stores the merchant’s file by its SHA-256 and answers its id and hash, on the ledger', async () => {
    const reply = await upload(merchant.client, fileListing, csv, {
      name: '路口车流量 2025.csv',
      expectedSha256: sha256(csv).toUpperCase(),
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.any(String),
      listingId: fileListing,
      name: '路口车流量 2025.csv',
      mediaType: 'text/csv',
      sizeBytes: csv.length,
      sha256: sha256(csv),
      createdAt: t.clock.now().toISOString(),
    });
    csvFile = reply.body;
    const blob = join(store.root, csvFile.sha256.slice(0, 2), csvFile.sha256);
    expect(await readFile(blob)).toEqual(csv);
    expect((await stat(blob)).mode & 0o777).toBe(0o600);
    const [entry] = await ledger(csvFile.id);
    expect(entry).toMatchObject({
      action: 'delivery.fileUploaded',
      actor: { accountId: merchant.accountId, organisationId: merchant.organisationId },
      payload: {
        listingId: fileListing,
        fileId: csvFile.id,
        name: '路口车流量 2025.csv',
        mediaType: 'text/csv',
        sizeBytes: csv.length,
        sha256: sha256(csv),
      },
    });
    const listed = await merchant.client.get(`/v1/listings/${fileListing}/files`);
    expect(listed).toMatchObject({ status: 200, body: { files: [reply.body] } });
  });

  it('takes the name from X-File-Name (percent-encoded) and the media type from the query', async () => {
    const bytes = randomBytes(1000);
    const reply = await upload(
      merchant.client,
      fileListing,
      bytes,
      { mediaType: 'application/vnd.apache.parquet' },
      { 'x-file-name': encodeURIComponent('客流 数据.parquet') },
    );
    expect(reply.body).toMatchObject({
      name: '客流 数据.parquet',
      mediaType: 'application/vnd.apache.parquet',
      sha256: sha256(bytes),
    });
  });

  it('keeps nothing when the bytes do not hash to expectedSha256', async () => {
    const before = { files: await storedFiles(), rows: await count('delivery_files') };
    const ledgerBefore = await count('ledger_entries');
    const bytes = randomBytes(64 * 1024);
    const reply = await upload(merchant.client, fileListing, bytes, {
      name: 'x.bin',
      expectedSha256: sha256(Buffer.from('something else')),
    });
    expect(reply).toMatchObject({ status: 422, body: { code: 'sha256_mismatch' } });
    expect(reply.body.message).toContain(sha256(bytes));
    expect({ files: await storedFiles(), rows: await count('delivery_files') }).toEqual(before);
    expect(await count('ledger_entries')).toBe(ledgerBefore);
  });

  it('streams a file of several MiB to disk while it is still arriving, never buffering it whole', async () => {
    const chunks = 20;
    const hash = createHash('sha256');
    let sawPartialWrite = false;
    async function* generated(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < chunks; i++) {
        if (i === chunks - 1) {
          // Before the last MiB is sent the server must already have written most of the others to disk: a
          // server that buffered the body would have written nothing yet.
          for (let tries = 0; tries < 2000 && !sawPartialWrite; tries++) {
            const incoming = join(store.root, 'incoming');
            for (const name of await readdir(incoming)) {
              const size = (await stat(join(incoming, name)).catch(() => ({ size: 0 }))).size;
              if (size >= 8 * MiB) sawPartialWrite = true;
            }
            if (!sawPartialWrite) await sleep(25);
          }
          if (!sawPartialWrite) throw new Error('the server wrote nothing while the body was arriving');
        }
        const chunk = randomBytes(MiB);
        hash.update(chunk);
        yield chunk;
      }
    }
    const reply = await upload(merchant.client, fileListing, generated(), { name: 'big.bin' });
    expect(reply.status).toBe(201);
    expect(sawPartialWrite).toBe(true);
    expect(reply.body).toMatchObject({ sizeBytes: chunks * MiB, sha256: hash.digest('hex') });
    expect(await readdir(join(store.root, 'incoming'))).toEqual([]);
  }, 120_000);

  it('refuses a file above DELIVERY_FILE_MAX_BYTES with 413, declared or streamed, and keeps nothing', async () => {
    const before = { files: await storedFiles(), rows: await count('delivery_files') };
    const declared = await upload(merchant.client, fileListing, randomBytes(LIMIT + 1), { name: 'big.bin' });
    expect(declared).toMatchObject({ status: 413, body: { code: 'file_too_large' } });
    expect(declared.body.message).toContain(`${LIMIT} bytes`);
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < LIMIT / MiB + 4; i++) yield randomBytes(MiB);
    }
    // No Content-Length (chunked): the limit is found while streaming.
    const streamed = await upload(merchant.client, fileListing, endless(), { name: 'big.bin' }).catch(
      (error: Error) => ({ status: 0, body: { code: error.message } }),
    );
    // The server answers 413 and closes; a client still sending may see the reset instead of the answer.
    if (streamed.status !== 0)
      expect(streamed).toMatchObject({ status: 413, body: { code: 'file_too_large' } });
    expect({ files: await storedFiles(), rows: await count('delivery_files') }).toEqual(before);
  }, 120_000);

  it('leaves nothing when the client breaks off mid-upload', async () => {
    const before = { files: await storedFiles(), rows: await count('delivery_files') };
    const url = new URL(`/v1/listings/${fileListing}/files?name=cut.bin`, t.baseUrl);
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${merchant.client.token}`,
        'content-type': 'application/octet-stream',
        'content-length': String(8 * MiB),
      },
    });
    request.on('error', () => undefined);
    request.write(randomBytes(2 * MiB));
    const incoming = join(store.root, 'incoming');
    for (let tries = 0; tries < 2000 && (await readdir(incoming)).length === 0; tries++) await sleep(10);
    expect((await readdir(incoming)).length).toBe(1);
    request.destroy();
    for (let tries = 0; tries < 2000 && (await readdir(incoming)).length > 0; tries++) await sleep(10);
    expect({ files: await storedFiles(), rows: await count('delivery_files') }).toEqual(before);
  }, 60_000);

  it('refuses the same bytes twice on one listing, also when two uploads race', async () => {
    const bytes = randomBytes(4096);
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => upload(merchant.client, fileListing, bytes, { name: 'twice.bin' })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const created = replies.find((r) => r.status === 201)!.body;
    for (const r of replies.filter((x) => x.status === 409)) {
      expect(r.body.code).toMatch(/^(file_already_uploaded|conflict)$/);
    }
    const rows = await sql(`select "id" from "delivery_files" where "sha256" = ?`, [`0x${sha256(bytes)}`]);
    expect(rows).toHaveLength(1);
    expect((await ledger(created.id)).map((e) => e.action)).toEqual(['delivery.fileUploaded']);
  }, 60_000);

  it('refuses a compute-only listing with the article: DE 31 for conditional data, DS 58 for not-open', async () => {
    const before = { files: await storedFiles(), rows: await count('delivery_files') };
    const conditional = await upload(merchant.client, conditionalListing, csv);
    expect(conditional).toMatchObject({ status: 422, body: { code: 'not_file_delivery', article: 'DE 31' } });
    const notOpen = await upload(merchant.client, notOpenListing, csv);
    expect(notOpen).toMatchObject({ status: 422, body: { code: 'not_file_delivery', article: 'DS 58' } });
    expect((await merchant.client.get(`/v1/listings/${notOpenListing}/files`)).body.article).toBe('DS 58');
    expect({ files: await storedFiles(), rows: await count('delivery_files') }).toEqual(before);
  });

  it('refuses other callers, bad names and bodies that are not raw bytes, with nothing kept', async () => {
    const before = { files: await storedFiles(), rows: await count('delivery_files') };
    const otherMerchant = await world.party(['merchant'], operator);
    expect(await upload(otherMerchant.client, fileListing, csv)).toMatchObject({
      status: 403,
      body: { code: 'not_the_merchant' },
    });
    expect((await upload(buyer.client, fileListing, csv)).status).toBe(403);
    expect((await upload(world.anonymous, fileListing, csv)).status).toBe(401);
    expect((await upload(merchant.client, '00000000-0000-4000-8000-000000000000', csv)).body.code).toBe(
      'not_found',
    );
    for (const [query, code] of [
      [{}, 'file_name_required'],
      [{ name: '../etc/passwd' }, 'invalid_file_name'],
      [{ name: ' padded.csv' }, 'invalid_file_name'],
      [{ name: 'x.csv', expectedSha256: 'abc' }, 'validation_failed'],
      [{ name: 'x.csv', mediaType: 'not a type' }, 'invalid_media_type'],
    ] as const) {
      const reply = await upload(merchant.client, fileListing, csv, query);
      expect([query, reply.status, reply.body.code]).toEqual([query, 400, code]);
    }
    expect((await upload(merchant.client, fileListing, '')).body).toMatchObject({ code: 'empty_file' });
    const json = await merchant.client.post(`/v1/listings/${fileListing}/files?name=a.json`, { a: 1 });
    expect(json).toMatchObject({ status: 415, body: { code: 'unsupported_media_type' } });
    expect(json.body.message).toMatch(/application\/octet-stream, not application\/json/);
    const text = await upload(
      merchant.client,
      fileListing,
      'hello',
      { name: 'a.txt' },
      {
        'content-type': 'text/plain',
      },
    );
    expect(text).toMatchObject({ status: 415 });
    expect(text.body.message).toMatch(/send the body as application\/octet-stream, not text\/plain/);
    // Raw bytes anywhere else are still refused: only the upload route takes them.
    const elsewhere = await fetch(`${t.baseUrl}/v1/listings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${merchant.client.token}`,
        'content-type': 'application/octet-stream',
      },
      body: csv,
    });
    expect(elsewhere.status).toBe(415);
    expect(((await elsewhere.json()) as { message: string }).message).toMatch(
      /send the body as application\/json/,
    );
    expect({ files: await storedFiles(), rows: await count('delivery_files') }).toEqual(before);
  }, 60_000);
});

describe('download', () => {
  let contract: Contract;

  beforeAll(async () => {
    contract = await activeContract(fileListing, buyer);
  });

  it('streams the bytes to the contract’s buyer with the size, the name and the hash, after a ledger entry', async () => {
    const reply = await download(buyer.client, contract.id, csvFile.id);
    expect(reply.status).toBe(200);
    expect(reply.bytes).toEqual(csv);
    expect(reply.headers.get('content-type')).toBe('text/csv');
    expect(reply.headers.get('content-length')).toBe(String(csv.length));
    expect(reply.headers.get('x-content-sha256')).toBe(sha256(csv));
    expect(reply.headers.get('repr-digest')).toBe(
      `sha-256=:${createHash('sha256').update(csv).digest('base64')}:`,
    );
    const disposition = reply.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('路口车流量 2025.csv');
    const downloads = (await ledger(contract.id)).filter((e) => e.action === 'delivery.downloaded');
    expect(downloads).toEqual([
      expect.objectContaining({
        actor: { accountId: buyer.accountId, organisationId: buyer.organisationId },
        subjectIds: [contract.id, csvFile.id, fileListing],
        payload: {
          contractId: contract.id,
          fileId: csvFile.id,
          listingId: fileListing,
          buyerOrganisationId: buyer.organisationId,
          name: '路口车流量 2025.csv',
          sizeBytes: csv.length,
          sha256: sha256(csv),
        },
      }),
    ]);
  });

  it('writes one ledger entry per download, and none for a HEAD', async () => {
    const before = (await ledger(contract.id)).length;
    await download(buyer.client, contract.id, csvFile.id);
    await download(buyer.client, contract.id, csvFile.id);
    const head = await download(buyer.client, contract.id, csvFile.id, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('x-content-sha256')).toBe(sha256(csv));
    expect(head.bytes.length).toBe(0);
    const after = await ledger(contract.id);
    expect(after.slice(before).map((e) => e.action)).toEqual(['delivery.downloaded', 'delivery.downloaded']);
  });

  it('streams a large file whole', async () => {
    const big = (await merchant.client.get(`/v1/listings/${fileListing}/files`)).body.files.find(
      (f: { name: string }) => f.name === 'big.bin',
    );
    const reply = await download(buyer.client, contract.id, big.id);
    expect(reply.status).toBe(200);
    expect(reply.bytes.length).toBe(big.sizeBytes);
    expect(sha256(reply.bytes)).toBe(big.sha256);
  }, 60_000);

  it('lists the files for the buyer, by contract and by listing', async () => {
    const byContract = await buyer.client.get(`/v1/contracts/${contract.id}/files`);
    expect(byContract.status).toBe(200);
    expect(byContract.body).toMatchObject({
      contractId: contract.id,
      listingId: fileListing,
      accessGranted: true,
    });
    expect(byContract.body.files.map((f: { id: string }) => f.id)).toContain(csvFile.id);
    const byListing = await buyer.client.get(`/v1/listings/${fileListing}/files`);
    expect(byListing.body.files).toEqual(byContract.body.files);
    const regulator = (await world.overseer('regulator')).client;
    expect((await regulator.get(`/v1/listings/${fileListing}/files`)).body.files).toEqual(
      byContract.body.files,
    );
    expect((await regulator.get(`/v1/contracts/${contract.id}/files`)).status).toBe(200);
  });

  it('refuses the merchant, another buyer and the overseers, and files of other listings', async () => {
    const operatorSession = (await world.overseer('operator')).client;
    const before = await count('ledger_entries');
    const asMerchant = await download(merchant.client, contract.id, csvFile.id);
    expect(asMerchant.status).toBe(403);
    const other = await download(otherBuyer.client, contract.id, csvFile.id);
    expect(other).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await otherBuyer.client.get(`/v1/contracts/${contract.id}/files`)).status).toBe(404);
    const listed = await otherBuyer.client.get(`/v1/listings/${fileListing}/files`);
    expect(listed).toMatchObject({ status: 403, body: { code: 'no_active_contract' } });
    expect((await download(operatorSession, contract.id, csvFile.id)).status).toBe(403);
    const foreignFile = await download(buyer.client, contract.id, '00000000-0000-4000-8000-000000000000');
    expect(foreignFile).toMatchObject({ status: 404, body: { message: 'file not found' } });
    expect(await count('ledger_entries')).toBe(before);
  });

  it('refuses before the contract is active and after its period ends, with no ledger entry', async () => {
    const before = await count('ledger_entries');
    const signed = await activeContract(fileListing, otherBuyer, 0, 'signed');
    const early = await download(otherBuyer.client, signed.id, csvFile.id);
    expect(early).toMatchObject({ status: 409, body: { code: 'contract_not_active' } });
    expect(early.body.message).toMatch(/the contract is signed/);
    expect((await otherBuyer.client.get(`/v1/contracts/${signed.id}/files`)).body.accessGranted).toBe(false);
    expect((await otherBuyer.client.get(`/v1/listings/${fileListing}/files`)).status).toBe(403);

    const short = await activeContract(fileListing, otherBuyer, 1);
    expect((await download(otherBuyer.client, short.id, csvFile.id)).status).toBe(200);
    t.clock.advance(2 * 3600_000);
    const late = await download(otherBuyer.client, short.id, csvFile.id);
    expect(late).toMatchObject({ status: 409, body: { code: 'access_ended' } });
    expect(late.body.message).toMatch(/period of use ended at/);
    expect((await otherBuyer.client.get(`/v1/listings/${fileListing}/files`)).status).toBe(403);
    // The buyer's own month-long contract still runs.
    expect((await download(buyer.client, contract.id, csvFile.id)).status).toBe(200);
    expect(await count('ledger_entries')).toBe(before + 2);
  });

  it('refuses a compute contract with DS 58', async () => {
    const compute = await insertContract(t, {
      listingId: notOpenListing,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      state: 'active',
    });
    const reply = await download(buyer.client, compute.id, csvFile.id);
    expect(reply).toMatchObject({ status: 422, body: { code: 'not_file_delivery', article: 'DS 58' } });
    expect((await buyer.client.get(`/v1/contracts/${compute.id}/files`)).body.article).toBe('DS 58');
  });

  it('answers 503 and records nothing when the stored bytes are gone', async () => {
    const bytes = randomBytes(100);
    const file = (await upload(merchant.client, fileListing, bytes, { name: 'lost.bin' })).body;
    const path = join(store.root, file.sha256.slice(0, 2), file.sha256);
    await writeFile(path, bytes.subarray(0, 50));
    const before = await count('ledger_entries');
    const reply = await download(buyer.client, contract.id, file.id);
    expect(reply).toMatchObject({ status: 503, body: { code: 'file_unavailable' } });
    expect(await count('ledger_entries')).toBe(before);
    expect(existsSync(path)).toBe(true);
  });
});
