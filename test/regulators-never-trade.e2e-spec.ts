import { randomUUID } from 'node:crypto';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import type { HttpClient, Reply } from './support/http-client.js';
import { listingBody, publishedListing } from './support/listing-fixtures.js';
import { query } from './support/money-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract, termsBody } from './support/trade-fixtures.js';
import { World, newCreditCode, uniqueName, PASSWORD, type Party } from './support/world.js';

/**
 * Regulators never trade (issue 12 item 7): a regulator body, signed in with its second factor, is refused (403)
 * every step of a trade — registering an asset, making, submitting or publishing a listing, starting or answering
 * a negotiation, signing, funding, confirming delivery, paying money in or out, uploading data and running or
 * releasing a computation — and nothing changes; and no route gives a regulator body a trading role. On SQLite
 * and (with DATABASE_URL) PostgreSQL.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: Party & { totpSecret: string };
let merchant: Party;
let buyer: Party;
let assetId: string;
let listingId: string;
let draftListingId: string;
let negotiationId: string;
let contractId: string;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = await world.overseer('regulator');
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  assetId = (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId))).id;
  listingId = await publishedListing(merchant.client, operator, listingBody([assetId]));
  const draft = await merchant.client.post('/v1/listings', listingBody([assetId]));
  expect(draft.status).toBe(201);
  draftListingId = draft.body.id;
  const negotiation = await buyer.client.post('/v1/negotiations', {
    listingId,
    terms: termsBody(computeTerms()),
  });
  expect(negotiation.status).toBe(201);
  negotiationId = negotiation.body.id;
  contractId = (
    await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      state: 'signed',
    })
  ).id;
}, 120_000);
afterAll(() => t.close());

const TABLES = [
  'assets',
  'listings',
  'negotiations',
  'negotiation_versions',
  'contracts',
  'settlement_transfers',
  'settlement_holds',
  'datasets',
  'computations',
  'delivery_files',
];

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES)
    out[table] = Number(
      (await query<{ n: number | string }>(t, `select count(*) as "n" from "${table}"`))[0].n,
    );
  return out;
}

it('refuses a regulator every step of a trade, and nothing changes', async () => {
  const steps: [string, string, unknown][] = [
    ['POST', '/v1/assets', assetBody(regulator.organisationId)],
    ['POST', `/v1/assets/${assetId}/submit`, {}],
    ['POST', `/v1/assets/${assetId}/transfers`, {}],
    ['POST', '/v1/listings', listingBody([assetId])],
    ['POST', `/v1/listings/${draftListingId}/submit`, {}],
    ['POST', `/v1/listings/${draftListingId}/publish`, {}],
    ['POST', '/v1/negotiations', { listingId, terms: termsBody(computeTerms()) }],
    ['POST', `/v1/negotiations/${negotiationId}/offers`, { version: 1, terms: termsBody(computeTerms()) }],
    ['POST', `/v1/negotiations/${negotiationId}/accept`, { version: 1 }],
    ['POST', '/v1/signing-address', { address: '0x' + '1'.repeat(40) }],
    ['POST', `/v1/contracts/${contractId}/signatures`, { signature: '0x' + '0'.repeat(130) }],
    ['POST', `/v1/contracts/${contractId}/fund`, {}],
    ['POST', `/v1/contracts/${contractId}/confirm-delivery`, {}],
    ['POST', `/v1/contracts/${contractId}/disputes`, { statement: '争议', evidenceHashes: [] }],
    ['POST', '/v1/settlement/deposits', { organisationId: regulator.organisationId, amountFen: '100' }],
    ['POST', '/v1/settlement/withdrawals', { organisationId: regulator.organisationId, amountFen: '100' }],
    ['POST', '/v1/datasets', { assetId }],
    ['POST', `/v1/listings/${listingId}/files`, 'bytes'],
    [
      'POST',
      '/v1/computations',
      { contractId, recipe: 'mean', bindings: { x: 'vehicle_count' }, filters: [] },
    ],
    ['POST', `/v1/computations/${randomUUID()}/release`, {}],
  ];
  const before = await counts();
  for (const [method, path, body] of steps) {
    const reply: Reply = await regulator.client.request(method, path, body, {
      'idempotency-key': randomUUID(),
      ...(typeof body === 'string' ? { 'content-type': 'application/octet-stream' } : {}),
    });
    expect([method, path, reply.status, reply.body?.message]).toEqual([
      method,
      path,
      403,
      expect.stringMatching(/^this route is for: (?!.*regulator)/),
    ]);
  }
  expect(await counts()).toEqual(before);
  const [contract] = await query<{ state: string; escrow: string }>(
    t,
    `select "state", "escrow" from "contracts" where "id" = ?`,
    [contractId],
  );
  expect(contract).toEqual({ state: 'signed', escrow: 'unfunded' });
});

it('refuses the same steps to a regulator programme holding an API token', async () => {
  const token = await regulator.client.post('/v1/tokens', {
    name: 'reports',
    scopes: ['regulator:read'],
    expiresInDays: 30,
  });
  expect(token.status).toBe(201);
  const programme = world.anonymous.as(token.body.token);
  for (const [path, body] of [
    ['/v1/listings', listingBody([assetId])],
    ['/v1/negotiations', { listingId, terms: termsBody(computeTerms()) }],
  ] as const)
    expect([path, (await programme.post(path, body)).status]).toEqual([path, 403]);
});

it('gives a regulator body no trading role by any route', async () => {
  // The operator's role grant takes only the assessor role, and refuses even that to an overseer body.
  const merchantGrant = await operator.post(`/v1/organisations/${regulator.organisationId}/roles`, {
    role: 'merchant',
  });
  expect([merchantGrant.status, merchantGrant.body.message]).toEqual([400, expect.stringMatching(/role/)]);
  const assessorGrant = await operator.post(`/v1/organisations/${regulator.organisationId}/roles`, {
    role: 'assessor',
  });
  expect([assessorGrant.status, assessorGrant.body.code]).toEqual([403, 'overseer_body']);

  // A token cannot carry a scope beyond the body's roles.
  const trading = await regulator.client.post('/v1/tokens', {
    name: 'trade',
    scopes: ['buyer:write'],
    expiresInDays: 30,
  });
  expect([trading.status, trading.body.message]).toEqual([400, expect.stringMatching(/beyond/)]);

  // Registering a body takes one overseer role, never a trading one alongside.
  const both = await operator.post('/v1/organisations/overseers', {
    name: '数据监管局',
    creditCode: newCreditCode(),
    role: 'regulator',
    roles: ['regulator', 'merchant'],
    admin: { username: uniqueName('reg'), displayName: '监管员' },
  });
  expect(both.status).toBe(400);
  const merchantBody = await operator.post('/v1/organisations/overseers', {
    name: '数据监管局',
    creditCode: newCreditCode(),
    role: 'merchant',
    admin: { username: uniqueName('reg'), displayName: '监管员' },
  });
  expect([merchantBody.status, merchantBody.body.message]).toEqual([400, expect.stringMatching(/role/)]);

  // Sign-up never takes the regulator role, alone or with a trading one.
  for (const roles of [['regulator'], ['merchant', 'regulator'], ['buyer', 'regulator']]) {
    const username = uniqueName('u');
    const signUp = await world.anonymous.post('/v1/organisations', {
      kind: 'organisation',
      name: `Party ${username}`,
      creditCode: newCreditCode(),
      roles,
      admin: { username, password: PASSWORD, displayName: username },
    });
    expect([roles, signUp.status]).toEqual([roles, 400]);
  }

  const organisation = await regulator.client.get(`/v1/organisations/${regulator.organisationId}`);
  expect(organisation.body.roles).toEqual(['regulator']);
  const changes = await query<{ n: number | string }>(
    t,
    `select count(*) as "n" from "ledger_entries" where "action" like ?`,
    ['organisation.role%'],
  );
  expect(Number(changes[0].n)).toBe(0);
});
