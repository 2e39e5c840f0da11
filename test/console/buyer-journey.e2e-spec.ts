import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { BLOB_STORE, type BlobStore } from '@app/blobs';
import { sha256Hex } from '@app/compute';
import { InProcessJobQueue, JobQueue } from '@app/jobs';
import {
  fromBase64Url,
  generateResultKeyPair,
  openResult as openResultOnServer,
  sealResult,
  sealResultKeyFile,
  toBase64Url,
} from '@app/results/core';
import { assetBody, registerAsset } from '../support/asset-fixtures.js';
import { mainPageChecks, signIn, useConsoleWorld } from '../support/browser.js';
import type { HttpClient } from '../support/http-client.js';
import { listingBody, publishedListing } from '../support/listing-fixtures.js';
import { deposit, query } from '../support/money-fixtures.js';
import type { Party } from '../support/world.js';
import {
  fundContract,
  installInjectedWallet,
  registerSigningAddressWithInjectedWallet,
  signContractWithInjectedWallet,
} from './pages/contracts.js';
import {
  acceptLatestVersion,
  applyForListing,
  changedTerms,
  createResultKey,
  highlightedWords,
  importResultKeyFile,
  openListing,
  openResult,
  runComputation,
  searchCatalog,
} from './pages/buyer.js';

/**
 * The buyer's journey in Chromium against the real API: finds a listing by a Chinese word, applies, sees the
 * merchant's counter-offer side by side and accepts; (signing and funding through the API, for now); makes a
 * result key in the browser, runs a computation, and reads the released result opened in the browser — equal to
 * what the data holder's side sealed. Then the CLI's key file, imported in the browser, opens a result exactly as
 * the server-side `openResult` does.
 */
jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();
let operator: HttpClient;
let merchant: Party;
let buyer: Party;
let assetId: string;
let listingId: string;
const ROWS = 200;
const TITLE = '海东市路口车流量统计（可用不可见）';
const HOSTILE_TITLE = '<b>粗体</b> & "引号" \'单引号\' 车流量样例';

beforeAll(async () => {
  // No sandbox worker here: a computation is moved to `evaluated` by the fixture below, as the worker would.
  const queue = t.app.get(JobQueue);
  if (queue instanceof InProcessJobQueue) queue.hold();
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  assetId = (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId))).id;
  listingId = await publishedListing(
    merchant.client,
    operator,
    listingBody([assetId], {
      title: TITLE,
      recipes: [
        { recipe: 'mean', columns: ['vehicle_count'] },
        { recipe: 'sum', columns: ['vehicle_count'] },
      ],
    }),
  );
  // A title full of HTML's special characters: the catalogue escapes it, the page must show it as text.
  await publishedListing(merchant.client, operator, listingBody([assetId], { title: HOSTILE_TITLE }));
  await readyDataset();
});

/**
 * A ready dataset version of the listed asset written straight to the database (as test/computations.e2e-spec.ts
 * does: the upload is tested elsewhere): `vehicle_count` encrypted (named by hash only) and the public
 * `intersection_id`, row i holding i mod 20, so `intersection_id < n` selects 10·n rows.
 */
async function readyDataset(): Promise<string> {
  const values = Buffer.alloc(ROWS * 8);
  for (let i = 0; i < ROWS; i++) values.writeDoubleLE(i % 20, i * 8);
  const stored = await t.app.get<BlobStore>(BLOB_STORE).put(values);
  const fake = (s: string) => sha256Hex(s);
  const manifest = {
    assetId,
    paramSet: 'bfv-8192-t50',
    rowCount: ROWS,
    columns: [
      { name: 'intersection_id', encrypted: false },
      { name: 'vehicle_count', encrypted: true, spec: { kind: 'integer', min: 0, max: 1000 } },
    ],
    chunks: [
      { kind: 'ciphertext', column: 'vehicle_count', index: 0, sha256: fake('ct0'), sizeBytes: 10 },
      { kind: 'publicColumn', column: 'intersection_id', sha256: stored.sha256, sizeBytes: ROWS * 8 },
      { kind: 'relinKeys', paramSet: 'bfv-8192-t50', sha256: fake('relin'), sizeBytes: 10 },
      { kind: 'galoisKeys', paramSet: 'bfv-8192-t50', sha256: fake('galois'), sizeBytes: 10 },
    ],
  };
  const id = randomUUID();
  const now = t.clock.now();
  await query(
    t,
    `insert into "datasets" ("id", "asset_id", "version", "organisation_id", "uploaded_by_account_id", "state",
       "param_set", "scheme", "row_count", "chunk_count", "total_bytes", "manifest", "manifest_hash", "chunks_root",
       "created_at", "updated_at", "completed_at") values (?, ?, 1, ?, ?, 'ready', 'bfv-8192-t50', 'bfv', ?, 4, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      assetId,
      merchant.organisationId,
      merchant.accountId,
      ROWS,
      ROWS * 8 + 30,
      JSON.stringify(manifest),
      fake('manifest'),
      fake('root'),
      now,
      now,
      now,
    ],
  );
  return id;
}

/**
 * The merchant's side of signing, as its own programme would: a signing address and the typed data the exchange
 * serves, signed with ethers and a local key. (Its browser side is the contracts journey's.)
 */
async function signAsMerchantViaApi(contractId: string): Promise<void> {
  const key = Wallet.createRandom();
  const challenge = await merchant.client.get('/v1/signing-address/challenge');
  const registered = await merchant.client.post('/v1/signing-address', {
    address: key.address,
    signature: await key.signMessage(challenge.body.message as string),
  });
  if (registered.status >= 300) throw new Error(`signing address: ${JSON.stringify(registered.body)}`);
  const contract = await merchant.client.get(`/v1/contracts/${contractId}`);
  const { domain, types, message } = contract.body.typedData;
  const signed = await merchant.client.post(`/v1/contracts/${contractId}/signatures`, {
    signature: await key.signTypedData(domain, types, message),
  });
  if (signed.status >= 300) throw new Error(`signature: ${JSON.stringify(signed.body)}`);
}

/**
 * The data holder's side of a release (what the merchant's agent does): the evaluation as the sandbox worker leaves
 * it (a fixture), then the result sealed to the buyer's registered key (`sealResult`, the server-side format) and
 * released through the API.
 */
async function releaseAsMerchantAgent(computationId: string, contractId: string, plaintext: string) {
  const evaluation = {
    format: 'exchange-evaluation/1',
    recipe: 'mean',
    params: null,
    paramSet: 'bfv-8192-t50',
    inputHashes: { vehicle_count: [sha256Hex('ct0')] },
    outputs: {},
    clear: { rows: ROWS },
    outputSha256: sha256Hex(`output of ${computationId}`),
  };
  const stored = await t.app.get<BlobStore>(BLOB_STORE).put(Buffer.from(JSON.stringify(evaluation), 'utf8'));
  const now = t.clock.now();
  await query(
    t,
    `update "computations" set "state" = 'evaluated', "attempt" = 1, "evaluation_sha256" = ?, "output_sha256" = ?,
       "started_at" = ?, "evaluated_at" = ? where "id" = ? and "state" = 'queued'`,
    [stored.sha256, evaluation.outputSha256, now, now, computationId],
  );
  const bundle = await merchant.client.get(`/v1/computations/${computationId}/evaluation`);
  expect(bundle.status).toBe(200);
  const publicKey = fromBase64Url(bundle.body.buyerResultKey.publicKey as string);
  if (!publicKey) throw new Error('no buyer key');
  const envelope = await sealResult(publicKey, new TextEncoder().encode(plaintext), {
    computationId,
    contractId,
  });
  const released = await merchant.client.post(`/v1/computations/${computationId}/release`, {
    envelope,
    epsilonSpentMilli: 1000,
  });
  expect([released.status, released.body.state]).toEqual([200, 'released']);
  return envelope;
}

/** The buyer's page in `language`, signed in once for the file (the browser closes it after the file). */
const signedIn = new Map<'zh' | 'en', Promise<Page>>();
function page(language: 'zh' | 'en'): Promise<Page> {
  if (!signedIn.has(language))
    signedIn.set(
      language,
      (async () => {
        const p = await (await browser.context(language)).newPage();
        await signIn(p, t.baseUrl, buyer.username);
        return p;
      })(),
    );
  return signedIn.get(language)!;
}

let contractId: string;
let negotiationId: string;
let firstComputation: string;
const RESULT = JSON.stringify({ recipe: 'mean', value: 412.5, rows: 100, epsilonSpent: '1.000' });
/** The main pages' problems over the file, asserted at the end. */
const { problems, check } = mainPageChecks();

describe('the buyer journey', () => {
  it('finds a listing by a Chinese word, applies, sees the counter-offer side by side and accepts it', async () => {
    const p = await page('zh');
    await searchCatalog(p, t.baseUrl, '车流量');
    expect((await highlightedWords(p)).join('')).toContain('车流');
    // Highlights are rendered as text and <mark> only: the hostile title shows verbatim, no <b> is made.
    await p.getByRole('link', { name: HOSTILE_TITLE }).waitFor();
    expect(await p.locator('main table b').count()).toBe(0);
    await check(p, 'buyer-catalog-zh');
    await openListing(p, /车流量统计/);
    expect(await p.getByRole('heading', { level: 1 }).innerText()).toBe(TITLE);
    await check(p, 'buyer-listing-zh');
    negotiationId = await applyForListing(p, { purpose: '交通规划：按路口评估早高峰拥堵', computations: 3 });
    const applied = await buyer.client.get(`/v1/negotiations/${negotiationId}`);
    expect(applied.body).toMatchObject({ state: 'requested', version: 1, listingId });
    expect(applied.body.terms).toMatchObject({
      recipes: ['mean', 'sum'],
      priceFen: '150000',
      computations: 3,
    });

    // The merchant counters through the API: only mean, a lower price, more computations.
    const countered = await merchant.client.post(`/v1/negotiations/${negotiationId}/offers`, {
      basedOnVersion: 1,
      terms: { ...applied.body.terms, recipes: ['mean'], priceFen: '120000', computations: 5 },
    });
    expect(countered.status).toBe(201);
    await p.reload();
    await p.locator('.terms-diff').waitFor();
    expect(await changedTerms(p)).toEqual([
      expect.stringContaining('计算方法'),
      expect.stringContaining('价格'),
      expect.stringContaining('计算次数'),
    ]);
    expect(await p.locator('.terms-diff').innerText()).toMatch(/删除: sum/);
    // The buyer sees who it negotiates with by the merchant's registered name.
    expect(applied.body.merchantOrganisationName).toBeTruthy();
    await p
      .locator('main')
      .getByText(applied.body.merchantOrganisationName as string, { exact: true })
      .waitFor();
    await check(p, 'buyer-negotiation-zh');
    contractId = await acceptLatestVersion(p);
    const agreed = await buyer.client.get(`/v1/negotiations/${negotiationId}`);
    expect(agreed.body).toMatchObject({ state: 'agreed', agreedVersion: 2, contractId });
  });

  it('signs the contract in the browser with a wallet there, and funds it once the operator recorded a deposit', async () => {
    await signAsMerchantViaApi(contractId);
    const context = await browser.context('zh');
    await installInjectedWallet(context, Wallet.createRandom());
    const p = await context.newPage();
    await signIn(p, t.baseUrl, buyer.username);
    await registerSigningAddressWithInjectedWallet(p, t.baseUrl);
    await signContractWithInjectedWallet(p, t.baseUrl, contractId);
    const signed = await buyer.client.get(`/v1/contracts/${contractId}`);
    expect(signed.body.state).toBe('signed');
    expect((await deposit(operator, buyer.organisationId, signed.body.amountFen as string)).status).toBe(201);
    await fundContract(p, t.baseUrl, contractId);
    expect((await buyer.client.get(`/v1/contracts/${contractId}`)).body.state).toBe('active');
    await context.close();
  });

  it('makes a result key in the browser, runs a computation, and reads the released result opened there', async () => {
    const p = await page('zh');
    const keyId = await createResultKey(p, t.baseUrl);
    const mine = await buyer.client.get('/v1/result-keys/mine');
    expect(mine.body.keyId).toBe(keyId);
    // The private key never left: the page holds it as a non-extractable CryptoKey.
    expect(
      await p.evaluate(async () => {
        const db: any = await new Promise((resolve) => {
          const r = (globalThis as any).indexedDB.open('dx-result-keys');
          r.onsuccess = () => resolve(r.result);
        });
        const keys: any[] = await new Promise((resolve) => {
          const r = db.transaction('keys').objectStore('keys').getAll();
          r.onsuccess = () => resolve(r.result);
        });
        db.close();
        return keys.map((k) => [k.keyId, k.privateKey.extractable, k.privateKey.type]);
      }),
    ).toEqual([[keyId, false, 'private']]);
    await check(p, 'buyer-keys-zh');

    firstComputation = await runComputation(p, t.baseUrl, {
      recipe: 'mean',
      bindings: { x: 'vehicle_count' },
      filter: { column: 'intersection_id', op: /^小于$/, value: '10' },
    });
    const queued = await buyer.client.get(`/v1/computations/${firstComputation}`);
    expect(queued.body).toMatchObject({ contractId, recipe: 'mean', state: 'queued', rowsAggregated: 100 });
    await p.goto(`${t.baseUrl}/computations`);
    await p.getByRole('link', { name: new RegExp(firstComputation.slice(0, 8)) }).waitFor();
    await check(p, 'buyer-computations-zh');

    await releaseAsMerchantAgent(firstComputation, contractId, RESULT);
    const shown = await openResult(p, t.baseUrl, firstComputation);
    expect(JSON.parse(shown)).toEqual(JSON.parse(RESULT));
    expect(await p.getByTestId('computation-state').innerText()).toBe('结果已放行');
    await check(p, 'buyer-result-zh');
  });

  it('opens a result with the CLI key file imported in the browser, as the server-side openResult does', async () => {
    const pair = await generateResultKeyPair();
    const passphrase = 'a passphrase of the buyer';
    const file = await sealResultKeyFile(pair, passphrase);
    const keyId = `x25519:${sha256Hex(Buffer.from(pair.publicKey))}`;
    const p = await page('en');
    await importResultKeyFile(p, t.baseUrl, file, passphrase, keyId);
    expect((await buyer.client.get('/v1/result-keys/mine')).body.publicKey).toBe(toBase64Url(pair.publicKey));
    await check(p, 'buyer-keys-en');

    const second = await runComputation(p, t.baseUrl, {
      recipe: 'mean',
      bindings: { x: 'vehicle_count' },
      filter: {
        column: 'intersection_id',
        op: /^in$/,
        value: '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14',
      },
    });
    await p.goto(`${t.baseUrl}/computations`);
    await p.getByRole('link', { name: new RegExp(second.slice(0, 8)) }).waitFor();
    await check(p, 'buyer-computations-en');
    const text = JSON.stringify({ recipe: 'mean', value: 398.25, rows: 150 });
    const envelope = await releaseAsMerchantAgent(second, contractId, text);
    const onServer = new TextDecoder().decode(
      await openResultOnServer(pair.privateKey, envelope, { computationId: second, contractId }),
    );
    const inBrowser = await openResult(p, t.baseUrl, second);
    expect(JSON.parse(inBrowser)).toEqual(JSON.parse(onServer));
    expect(onServer).toBe(text);
    await check(p, 'buyer-result-en');
  });

  it('shows the catalogue, listing and negotiation in English', async () => {
    const p = await page('en');
    await searchCatalog(p, t.baseUrl, 'vehicle');
    await check(p, 'buyer-catalog-en');
    await openListing(p, /车流量统计/);
    await check(p, 'buyer-listing-en');
    await p.goto(`${t.baseUrl}/negotiations/${negotiationId}`);
    await p.locator('.terms-diff').waitFor();
    expect(await changedTerms(p)).toEqual([
      expect.stringContaining('Computations'),
      expect.stringContaining('Price'),
      expect.stringContaining('Computations bought'),
    ]);
    // Lists are joined the English way (the versions' changed terms), not with Chinese 、.
    expect(await p.locator('main').innerText()).not.toContain('、');
    await check(p, 'buyer-negotiation-en');
    await p.goto(`${t.baseUrl}/negotiations`);
    await p.getByRole('link', { name: /交通规划/ }).waitFor();
    await check(p, 'buyer-negotiations-en');
    expect(problems).toEqual([]);
  });
});
