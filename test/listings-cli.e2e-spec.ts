import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody } from './support/listing-fixtures.js';

/** A merchant's whole listing flow from a terminal: `exchange listing create|submit|publish|show|withdraw`. */
let t: TestApp;
let dir: string;
let operator: HttpClient;
let merchant: Party;
let assetId: string;

const cli = (args: string[], token = merchant.client.token!) =>
  runCli(args, { ...t.database.env, EXCHANGE_API_URL: t.baseUrl, EXCHANGE_TOKEN: token });

beforeAll(async () => {
  t = await startTestApp();
  const world = new World(t);
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  assetId = (
    await registerAsset(merchant.client, operator, assetBody(merchant.organisationId, assetVariants.open))
  ).id;
  dir = await mkdtemp(join(tmpdir(), 'listing-cli-'));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.close();
});

it('creates, submits, publishes, shows and withdraws a listing', async () => {
  const file = join(dir, 'listing.json');
  await writeFile(file, JSON.stringify(listingBody([assetId])));
  const created = await cli(['listing', 'create', '--file', file]);
  expect(created).toMatchObject({ code: 0, stderr: '' });
  const draft = JSON.parse(created.stdout);
  expect(draft).toMatchObject({ status: 'draft', level: 'general', assetIds: [assetId] });

  expect(JSON.parse((await cli(['listing', 'submit', draft.id])).stdout).status).toBe('submitted');
  const early = await cli(['listing', 'publish', draft.id]);
  expect(early.code).toBe(1);
  expect(early.stderr).toMatch(/409 cannot publish a listing that is submitted/);
  expect((await operator.post(`/v1/listings/${draft.id}/review`, { decision: 'approve' })).status).toBe(200);
  expect(JSON.parse((await cli(['listing', 'publish', draft.id])).stdout).status).toBe('published');
  const shown = await cli(['listing', 'show', draft.id]);
  expect(JSON.parse(shown.stdout)).toMatchObject({ id: draft.id, status: 'published' });
  expect(JSON.parse((await cli(['listing', 'withdraw', draft.id])).stdout).status).toBe('withdrawn');
}, 180_000);

it('prints a refusal by rule with its article and exits 1', async () => {
  const file = join(dir, 'file-delivery.json');
  await writeFile(
    file,
    JSON.stringify(
      listingBody([assetId], { pricing: { mode: 'guided', priceFen: '100', category: 'nowhere' } }),
    ),
  );
  const refused = await cli(['listing', 'create', '--file', file]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^exchange: listing create: 422 DE 41: /);
});

it('says what is wrong with a file that is not JSON or an id that is not one', async () => {
  const file = join(dir, 'broken.json');
  await writeFile(file, '{ not json');
  const broken = await cli(['listing', 'create', '--file', file]);
  expect(broken.code).toBe(1);
  expect(broken.stderr).toMatch(/cannot read .*broken\.json as JSON/);
  const bad = await cli(['listing', 'show', 'not-an-id']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/not-an-id is not a listing id/);
  const help = await cli(['listing', 'create', '--help']);
  expect(help.stdout).toMatch(/--file/);
  expect(help.stdout).toMatch(/priceFen/);
});
