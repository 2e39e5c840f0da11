import { MikroORM } from '@mikro-orm/core';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, DeliveryFileStore } from '@app/trading';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { runCliAgainst } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/** File delivery from a terminal: `exchange file upload|list|download`, the download checked against its hash. */
let t: TestApp;
let dir: string;
let merchant: Party;
let buyer: Party;
let listingId: string;
let contractId: string;

const cli = (args: string[], party: Party) => runCliAgainst(t, party.client.token!, args);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  t = await startTestApp();
  const world = new World(t);
  const operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  const assetId = (
    await registerAsset(merchant.client, operator, assetBody(merchant.organisationId, assetVariants.open))
  ).id;
  listingId = await publishedListing(
    merchant.client,
    operator,
    listingBody([assetId], { delivery: 'file', recipes: [], minRows: null, billingUnits: ['one-off'] }),
  );
  const contract = await insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    terms: computeTerms({
      delivery: 'file',
      columns: [],
      recipes: [],
      billingUnit: 'one-off',
      computations: null,
    }),
    state: 'active',
  });
  const now = t.clock.now();
  await t.app
    .get(MikroORM)
    .em.fork()
    .nativeUpdate(
      Contract,
      { id: contract.id },
      { fundedAt: now, endsAt: new Date(now.getTime() + 30 * 86_400_000), escrow: 'held' },
    );
  contractId = contract.id;
  dir = await mkdtemp(join(tmpdir(), 'file-cli-'));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.close();
});

it('uploads as the merchant, downloads as the buyer, and refuses bytes that do not match the hash', async () => {
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  const source = join(dir, 'counts 2025.csv');
  await writeFile(source, bytes);

  const uploaded = await cli(['file', 'upload', '--listing', listingId, source], merchant);
  expect(uploaded).toMatchObject({ code: 0, stderr: '' });
  const file = JSON.parse(uploaded.stdout);
  expect(file).toMatchObject({
    name: 'counts 2025.csv',
    mediaType: 'text/csv',
    sizeBytes: bytes.length,
    sha256: sha256(bytes),
  });

  const listed = await cli(['file', 'list', '--contract', contractId], buyer);
  expect(JSON.parse(listed.stdout)).toMatchObject({ accessGranted: true, files: [{ id: file.id }] });

  const out = join(dir, 'received.csv');
  const downloaded = await cli(
    ['file', 'download', '--contract', contractId, '--file', file.id, '--out', out],
    buyer,
  );
  expect(downloaded).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(downloaded.stdout)).toMatchObject({ sha256: sha256(bytes), sizeBytes: bytes.length });
  expect(await readFile(out)).toEqual(bytes);

  const again = await cli(
    ['file', 'download', '--contract', contractId, '--file', file.id, '--out', out],
    buyer,
  );
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/received\.csv exists; choose another --out or pass --force/);

  // The stored bytes change on the exchange's disk (same size): the CLI refuses them and keeps nothing.
  const blob = t.app.get(DeliveryFileStore).pathOf(file.sha256);
  const damaged = Buffer.from(bytes);
  damaged[1000] ^= 0xff;
  await writeFile(blob, damaged);
  const tampered = join(dir, 'tampered.csv');
  const refused = await cli(
    ['file', 'download', '--contract', contractId, '--file', file.id, '--out', tampered],
    buyer,
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`the bytes received hash to ${sha256(damaged)}, not to ${sha256(bytes)}`);
  expect(existsSync(tampered)).toBe(false);
  expect((await readdir(dir)).filter((name) => name.endsWith('.part'))).toEqual([]);
}, 180_000);

it('prints the exchange’s refusal and exits 1', async () => {
  const source = join(dir, 'other.bin');
  await writeFile(source, randomBytes(100));
  const asBuyer = await cli(['file', 'upload', '--listing', listingId, source], buyer);
  expect(asBuyer.code).toBe(1);
  expect(asBuyer.stderr).toMatch(/exchange: file upload: 403 /);
  const asMerchant = await cli(
    [
      'file',
      'download',
      '--contract',
      contractId,
      '--file',
      '00000000-0000-4000-8000-000000000000',
      '--out',
      join(dir, 'x'),
    ],
    merchant,
  );
  expect(asMerchant.code).toBe(1);
  expect(asMerchant.stderr).toMatch(/exchange: file download: 403 /);
  expect(existsSync(join(dir, 'x'))).toBe(false);
}, 180_000);
