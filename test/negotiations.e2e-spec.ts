import { MikroORM } from '@mikro-orm/core';
import { UnitOfWork } from '@app/database';
import { Contract, NegotiationService, termsHash, type Terms } from '@app/trading';
import { countRows, ledgerActions as ledgerActionsOf } from './support/db-probe.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, World, newCreditCode, uniqueName, type Party } from './support/world.js';
import { HttpClient, type Reply } from './support/http-client.js';
import { responseSchema, schemaProblems, type OpenApiDocument } from './support/openapi-conformance.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { computeTerms, termsBody } from './support/trade-fixtures.js';

/**
 * Negotiation end to end over HTTP on SQLite and, with DATABASE_URL, PostgreSQL: application, counter-offer with
 * its diff, acceptance forming the contract (clauses, shares, amount, fees), the listing's rules and the
 * cross-border rules on every version as 422s naming the article, stale versions, the purpose review of conditional
 * free use, typed terminations, expiry, and parallel steps of which exactly one wins.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let holder: Party;
let processor: Party;
let buyer: Party;
let otherBuyer: Party;
let abroad: Party;
let listings: {
  shared: string;
  important: string;
  personal: string;
  guided: string;
  free: string;
};

const DAY = 86_400_000;

let openApi: OpenApiDocument | undefined;
const shapeProblems: string[] = [];
let checkedReplies = 0;
const ROUTES: [string, RegExp, string][] = [
  ['POST', /^\/v1\/negotiations$/, '/v1/negotiations'],
  ['GET', /^\/v1\/negotiations$/, '/v1/negotiations'],
  ['GET', /^\/v1\/negotiations\/[^/]+$/, '/v1/negotiations/{id}'],
  [
    'POST',
    /^\/v1\/negotiations\/[^/]+\/(offers|accept|terminate|purpose-review)$/,
    '/v1/negotiations/{id}/$1',
  ],
];

/** Every successful reply of a negotiation route is checked against the OpenAPI document. */
const send = HttpClient.prototype.request;
HttpClient.prototype.request = async function (this: HttpClient, method, path, body, headers) {
  const reply: Reply = await send.call(this, method, path, body, headers);
  const bare = path.split('?')[0];
  const route = ROUTES.find(([m, pattern]) => m === method && pattern.test(bare));
  if (reply.status < 300 && openApi && route) {
    const schema = responseSchema(openApi, method, bare.replace(route[1], route[2]), reply.status);
    checkedReplies++;
    shapeProblems.push(...schemaProblems(openApi, schema, reply.body).map((p) => `${method} ${bare}: ${p}`));
  }
  return reply;
} as typeof send;

/** Signs up an admitted buyer registered in `registeredIn`. */
async function buyerIn(registeredIn: string): Promise<Party> {
  const username = uniqueName('u');
  const reply = await world.anonymous.post('/v1/organisations', {
    kind: 'organisation',
    name: `Overseas ${username}`,
    creditCode: newCreditCode(),
    roles: ['buyer'],
    registeredIn,
    admin: { username, password: PASSWORD, displayName: username },
  });
  expect(reply.status).toBe(201);
  expect(reply.body.organisation.registeredIn).toBe(registeredIn);
  const organisationId = reply.body.organisation.id as string;
  const admitted = await operator.post(`/v1/organisations/${organisationId}/admission`, {
    decision: 'admit',
  });
  expect(admitted.status).toBe(200);
  return { organisationId, accountId: reply.body.account.id, username, client: await world.login(username) };
}

const orm = () => t.app.get(MikroORM);
const count = (table: string) => countRows(t, table);
const ledgerActions = (subjectId: string) => ledgerActionsOf(t, subjectId);
/** The tables a refused step must leave as they were. */
const snapshot = async () => ({
  negotiations: await count('negotiations'),
  versions: await count('negotiation_versions'),
  contracts: await count('contracts'),
  ledger: await count('ledger_entries'),
});
const contract = (id: string) => orm().em.fork().findOneOrFail(Contract, { id });

const apply = (client: HttpClient, listingId: string, terms: Terms, extra: Record<string, unknown> = {}) =>
  client.post('/v1/negotiations', { listingId, terms: termsBody(terms), ...extra });

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  openApi = (await world.anonymous.get('/openapi.json')).body;
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  holder = await world.party(['merchant'], operator);
  processor = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  otherBuyer = await world.party(['buyer'], operator);
  abroad = await buyerIn('HK');
  const band = await regulator.post('/v1/pricing-bands', {
    category: 'transit',
    minFen: '1000',
    maxFen: '5000',
    publicResourceFeeBasisPoints: 500,
  });
  expect(band.status).toBe(201);
  const register = async (variant: Record<string, unknown>) =>
    (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId, variant))).id;
  // Three rights, three parties: the holder holds, the processor and the merchant share processing, the merchant operates.
  const shared = await register({
    rights: [
      { right: 'holding', organisationId: holder.organisationId, shareBasisPoints: 10_000 },
      { right: 'processing', organisationId: processor.organisationId, shareBasisPoints: 6_000 },
      { right: 'processing', organisationId: merchant.organisationId, shareBasisPoints: 4_000 },
      { right: 'operation', organisationId: merchant.organisationId, shareBasisPoints: 10_000 },
    ],
  });
  const important = await register(assetVariants.important);
  const personal = await register(assetVariants.notOpen);
  const publicData = await register(assetVariants.publicData);
  const publish = (body: Record<string, unknown>) => publishedListing(merchant.client, operator, body);
  listings = {
    shared: await publish(
      listingBody([shared], {
        recipes: [
          { recipe: 'mean', columns: ['vehicle_count'] },
          { recipe: 'sum', columns: ['vehicle_count'] },
        ],
      }),
    ),
    important: await publish(
      listingBody([important], { recipes: [{ recipe: 'mean', columns: ['grid_load'] }] }),
    ),
    personal: await publish(
      listingBody([personal], { recipes: [{ recipe: 'mean', columns: ['monthly_spend'] }] }),
    ),
    guided: await publish(
      listingBody([publicData], {
        pricing: { mode: 'guided', priceFen: '2000', category: 'transit' },
        recipes: [{ recipe: 'mean', columns: ['boardings'] }],
      }),
    ),
    free: await publish(
      listingBody([publicData], {
        pricing: { mode: 'conditional-free', priceFen: '0' },
        recipes: [{ recipe: 'mean', columns: ['boardings'] }],
      }),
    ),
  };
}, 240_000);
afterAll(() => t.close());

describe('a negotiation from application to contract', () => {
  let id: string;

  it('applies, counters with a readable diff, accepts, and shows the contract it formed', async () => {
    const first = computeTerms({ priceFen: 150_000n, computations: 3 });
    const applied = await apply(buyer.client, listings.shared, first);
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ state: 'requested', version: 1, termsHash: termsHash(first) });
    id = applied.body.id;

    const second = computeTerms({ priceFen: 120_000n, computations: 5, recipes: ['mean', 'sum'] });
    const countered = await merchant.client.post(`/v1/negotiations/${id}/offers`, {
      basedOnVersion: 1,
      terms: termsBody(second),
    });
    expect(countered.status).toBe(201);
    expect(countered.body).toMatchObject({ state: 'offered', version: 2, termsHash: termsHash(second) });
    expect(countered.body.versions[1].changes).toEqual([
      { field: 'recipes', from: 'mean', to: 'mean, sum', added: ['sum'], removed: [] },
      { field: 'priceFen', from: '150000', to: '120000' },
      { field: 'computations', from: '3', to: '5' },
    ]);

    const accepted = await buyer.client.post(`/v1/negotiations/${id}/accept`, { version: 2 });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'agreed', agreedVersion: 2 });
    expect(accepted.body.contractId).toEqual(expect.any(String));

    const shown = await merchant.client.get(`/v1/negotiations/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.contractId).toBe(accepted.body.contractId);
    expect(shown.body.versions.map((v: any) => [v.version, v.side, v.termsHash])).toEqual([
      [1, 'buyer', termsHash(first)],
      [2, 'merchant', termsHash(second)],
    ]);
    expect(shown.body.versions[0].changes).toEqual([]);

    const formed = await contract(accepted.body.contractId);
    expect(formed).toMatchObject({
      negotiationId: id,
      version: 2,
      state: 'awaiting_signatures',
      escrow: 'unfunded',
      level: 'general',
      termsHash: termsHash(second),
      amountFen: 600_000n,
      platformFeeBasisPoints: 300,
      publicResourceFeeBasisPoints: 0,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
    });
    expect(formed.clauses.map((c) => [c.code, c.article])).toEqual([['no_onward_transfer', 'DS 40, DS 52']]);
    // holder 1/3, processor 0.6 × 1/3, merchant 0.4 × 1/3 + 1/3: 3333.3, 2000, 4666.7 → the spare point to the merchant.
    expect(formed.shares).toEqual([
      { organisationId: merchant.organisationId, basisPoints: 4667 },
      { organisationId: holder.organisationId, basisPoints: 3333 },
      { organisationId: processor.organisationId, basisPoints: 2000 },
    ]);
    expect(await ledgerActions(id)).toEqual([
      'negotiation.requested',
      'negotiation.offered',
      'negotiation.accepted',
      'contract.formed',
    ]);
  });

  it('refuses steps on an agreed negotiation and stale versions with 409, changing nothing', async () => {
    const before = await snapshot();
    const stale = await buyer.client.post(`/v1/negotiations/${id}/offers`, {
      basedOnVersion: 1,
      terms: termsBody(computeTerms({ priceFen: 1n })),
    });
    expect(stale.status).toBe(409);
    const again = await buyer.client.post(`/v1/negotiations/${id}/accept`, { version: 2 });
    expect(again.status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it('shows a negotiation to its parties and the overseers only, and lists each party its own', async () => {
    expect((await otherBuyer.client.get(`/v1/negotiations/${id}`)).status).toBe(404);
    expect((await regulator.get(`/v1/negotiations/${id}`)).status).toBe(200);
    expect((await operator.get(`/v1/negotiations/${id}`)).status).toBe(200);
    const mine = await buyer.client.get('/v1/negotiations?limit=200');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((n: any) => n.id)).toContain(id);
    expect(mine.body.items.every((n: any) => n.buyerOrganisationId === buyer.organisationId)).toBe(true);
    // Each names its parties as registered, in the list and alone.
    const nameOf = async (org: string) =>
      (await regulator.get(`/v1/organisations/${org}`)).body.name as string;
    const names = {
      buyerOrganisationName: await nameOf(buyer.organisationId),
      merchantOrganisationName: await nameOf(merchant.organisationId),
    };
    expect(mine.body.items.find((n: any) => n.id === id)).toMatchObject(names);
    expect((await merchant.client.get(`/v1/negotiations/${id}`)).body).toMatchObject(names);
    const theirs = await otherBuyer.client.get('/v1/negotiations');
    expect(theirs.body.items.map((n: any) => n.id)).not.toContain(id);
    const merchants = await merchant.client.get(`/v1/negotiations?state=agreed&listingId=${listings.shared}`);
    expect(merchants.body.items.map((n: any) => n.id)).toContain(id);
    expect((await apply(otherBuyer.client, listings.shared, computeTerms())).status).toBe(201);
    const all = await regulator.get('/v1/negotiations?limit=1');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(1);
    const next = await regulator.get(`/v1/negotiations?limit=1&after=${all.body.next}`);
    expect(next.status).toBe(200);
    expect(next.body.items[0].id).not.toBe(all.body.items[0].id);
    expect((await regulator.get('/v1/negotiations?after=bm90LWEtY3Vyc29y')).status).toBe(400);
  });
});

describe('stale and own versions', () => {
  it('names the current version when an offer answers an older one, and changes nothing', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    const id = applied.body.id as string;
    const countered = await merchant.client.post(`/v1/negotiations/${id}/offers`, {
      basedOnVersion: 1,
      terms: termsBody(computeTerms({ priceFen: 140_000n })),
    });
    expect(countered.status).toBe(201);
    const before = await snapshot();
    const stale = await buyer.client.post(`/v1/negotiations/${id}/offers`, {
      basedOnVersion: 1,
      terms: termsBody(computeTerms({ priceFen: 145_000n })),
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('stale_version');
    expect(stale.body.message).toContain('current version is 2');
    const staleAccept = await buyer.client.post(`/v1/negotiations/${id}/accept`, { version: 1 });
    expect(staleAccept.status).toBe(409);
    expect(staleAccept.body.message).toContain('current version is 2');
    const own = await merchant.client.post(`/v1/negotiations/${id}/accept`, { version: 2 });
    expect(own.status).toBe(409);
    expect(own.body.code).toBe('own_version');
    const unchanged = await buyer.client.post(`/v1/negotiations/${id}/offers`, {
      basedOnVersion: 2,
      terms: termsBody(computeTerms({ priceFen: 140_000n })),
    });
    expect(unchanged.status).toBe(400);
    expect(await snapshot()).toEqual(before);
    const view = await buyer.client.get(`/v1/negotiations/${id}`);
    expect(view.body).toMatchObject({ state: 'offered', version: 2 });
  });
});

describe('the listing’s rules on every version', () => {
  it('refuses columns or recipes beyond the listing (DS 35), naming them, and creates nothing', async () => {
    const before = await snapshot();
    const column = await apply(buyer.client, listings.shared, computeTerms({ columns: ['intersection_id'] }));
    expect(column.status).toBe(422);
    expect(column.body.article).toBe('DS 35');
    expect(column.body.message).toContain('intersection_id');
    const recipe = await apply(buyer.client, listings.shared, computeTerms({ recipes: ['histogram'] }));
    expect(recipe.status).toBe(422);
    expect(recipe.body.article).toBe('DS 35');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a counter-offer that widens the scope (DS 35)', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    const before = await snapshot();
    const wider = await merchant.client.post(`/v1/negotiations/${applied.body.id}/offers`, {
      basedOnVersion: 1,
      terms: termsBody(computeTerms({ columns: ['vehicle_count', 'intersection_id'] })),
    });
    expect(wider.status).toBe(422);
    expect(wider.body.article).toBe('DS 35');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses file delivery of data that is not open (DS 58) and a billing unit the listing lacks', async () => {
    const file = await apply(
      buyer.client,
      listings.shared,
      computeTerms({
        delivery: 'file',
        columns: [],
        recipes: [],
        billingUnit: 'one-off',
        computations: null,
      }),
    );
    expect(file.status).toBe(422);
    expect(file.body.article).toBe('DE 31');
    const billing = await apply(
      buyer.client,
      listings.shared,
      computeTerms({ billingUnit: 'subscription', computations: null }),
    );
    expect(billing.status).toBe(422);
    expect(billing.body.code).toBe('billing_unit_not_offered');
  });

  it('keeps a guided price inside the band (DE 41), naming the band, on applications and counter-offers', async () => {
    const terms = (priceFen: bigint) => computeTerms({ columns: ['boardings'], priceFen });
    const outside = await apply(buyer.client, listings.guided, terms(9_000n));
    expect(outside.status).toBe(422);
    expect(outside.body.article).toBe('DE 41');
    expect(outside.body.message).toContain('1000 fen to 5000 fen');
    const inside = await apply(buyer.client, listings.guided, terms(4_000n));
    expect(inside.status).toBe(201);
    const below = await merchant.client.post(`/v1/negotiations/${inside.body.id}/offers`, {
      basedOnVersion: 1,
      terms: termsBody(terms(500n)),
    });
    expect(below.status).toBe(422);
    expect(below.body.article).toBe('DE 41');
    const accepted = await merchant.client.post(`/v1/negotiations/${inside.body.id}/accept`, { version: 1 });
    expect(accepted.status).toBe(200);
    const formed = await contract(accepted.body.contractId);
    expect(formed.publicResourceFeeBasisPoints).toBe(500);
    expect(formed.amountFen).toBe(12_000n);
  });

  it('refuses every step while the listing is suspended (409) and goes on once it is reinstated', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms({ priceFen: 7n }));
    const id = applied.body.id as string;
    expect((await operator.post(`/v1/listings/${listings.shared}/suspend`, { reason: '核查' })).status).toBe(
      200,
    );
    try {
      const before = await snapshot();
      const accept = await merchant.client.post(`/v1/negotiations/${id}/accept`, { version: 1 });
      expect(accept.status).toBe(409);
      expect(accept.body.code).toBe('listing_unavailable');
      expect((await apply(buyer.client, listings.shared, computeTerms())).status).toBe(404);
      expect(await snapshot()).toEqual(before);
    } finally {
      expect((await operator.post(`/v1/listings/${listings.shared}/reinstate`, {})).status).toBe(200);
    }
    expect((await merchant.client.post(`/v1/negotiations/${id}/accept`, { version: 1 })).status).toBe(200);
  });

  it('lets a market price move away from the list price', async () => {
    const cheap = await apply(buyer.client, listings.shared, computeTerms({ priceFen: 1n }));
    expect(cheap.status).toBe(201);
  });

  it('adds the data-security clause (DS 35) to a contract for important data', async () => {
    const applied = await apply(buyer.client, listings.important, computeTerms({ columns: ['grid_load'] }));
    expect(applied.status).toBe(201);
    const accepted = await merchant.client.post(`/v1/negotiations/${applied.body.id}/accept`, { version: 1 });
    expect(accepted.status).toBe(200);
    const formed = await contract(accepted.body.contractId);
    expect(formed.level).toBe('important');
    expect(formed.clauses.map((c) => [c.code, c.article])).toEqual([
      ['no_onward_transfer', 'DS 40, DS 52'],
      ['data_security', 'DS 35'],
    ]);
    expect(formed.shares).toEqual([{ organisationId: merchant.organisationId, basisPoints: 10_000 }]);
  });
});

describe('cross-border (DS 38, DS 72)', () => {
  it('shows where an organisation is registered and refuses a malformed code at sign-up', async () => {
    const view = await abroad.client.get(`/v1/organisations/${abroad.organisationId}`);
    expect(view.body.registeredIn).toBe('HK');
    expect((await buyer.client.get(`/v1/organisations/${buyer.organisationId}`)).body.registeredIn).toBe(
      'CN',
    );
    const bad = await world.anonymous.post('/v1/organisations', {
      kind: 'organisation',
      name: 'lower case',
      creditCode: newCreditCode(),
      roles: ['buyer'],
      registeredIn: 'hk',
      admin: { username: uniqueName('u'), password: PASSWORD, displayName: 'x' },
    });
    expect(bad.status).toBe(400);
  });

  it('refuses a buyer registered outside the mainland important data (DS 38) and personal information (DS 72)', async () => {
    const before = await snapshot();
    const important = await apply(
      abroad.client,
      listings.important,
      computeTerms({ columns: ['grid_load'] }),
    );
    expect(important.status).toBe(422);
    expect(important.body.article).toBe('DS 38');
    const personal = await apply(
      abroad.client,
      listings.personal,
      computeTerms({ columns: ['monthly_spend'] }),
    );
    expect(personal.status).toBe(422);
    expect(personal.body.article).toBe('DS 72');
    expect(await snapshot()).toEqual(before);
    const general = await apply(abroad.client, listings.shared, computeTerms());
    expect(general.status).toBe(201);
  });
});

describe('who negotiates', () => {
  it('keeps overseers out and a merchant off its own listing', async () => {
    expect(
      (
        await operator.post('/v1/negotiations', {
          listingId: listings.shared,
          terms: termsBody(computeTerms()),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await regulator.post('/v1/negotiations', {
          listingId: listings.shared,
          terms: termsBody(computeTerms()),
        })
      ).status,
    ).toBe(403);
    const both = await world.party(['merchant', 'buyer'], operator);
    const asset = (await registerAsset(both.client, operator, assetBody(both.organisationId))).id;
    const own = await publishedListing(both.client, operator, listingBody([asset]));
    const reply = await apply(both.client, own, computeTerms());
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('own_listing');
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    expect(
      (
        await operator.post(`/v1/negotiations/${applied.body.id}/offers`, {
          basedOnVersion: 1,
          terms: termsBody(computeTerms({ priceFen: 9n })),
        })
      ).status,
    ).toBe(403);
    expect(
      (await otherBuyer.client.post(`/v1/negotiations/${applied.body.id}/accept`, { version: 1 })).status,
    ).toBe(404);
    expect((await apply(buyer.client, '00000000-0000-4000-8000-000000000000', computeTerms())).status).toBe(
      404,
    );
  });
});

describe('conditional free use (DE 41): the operator reviews the purpose', () => {
  const free = () => computeTerms({ columns: ['boardings'], priceFen: 0n, purpose: '公交线路优化（公益）' });

  it('waits in accepted until the operator approves, then forms a contract priced 0', async () => {
    const applied = await apply(buyer.client, listings.free, free());
    expect(applied.status).toBe(201);
    expect(applied.body.purposeApproval).toBe('pending');
    const priced = await apply(
      buyer.client,
      listings.free,
      computeTerms({ columns: ['boardings'], priceFen: 1n }),
    );
    expect(priced.status).toBe(422);
    expect(priced.body.article).toBe('DE 41');
    const accepted = await merchant.client.post(`/v1/negotiations/${applied.body.id}/accept`, { version: 1 });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', contractId: null, purposeApproval: 'pending' });
    expect(
      (
        await regulator.post(`/v1/negotiations/${applied.body.id}/purpose-review`, {
          decision: 'approve',
          reason: 'ok',
        })
      ).status,
    ).toBe(403);
    const approved = await operator.post(`/v1/negotiations/${applied.body.id}/purpose-review`, {
      decision: 'approve',
      reason: '公益用途，符合公共数据有条件无偿使用',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'agreed', purposeApproval: 'approved' });
    const formed = await contract(approved.body.contractId);
    expect(formed.amountFen).toBe(0n);
    expect(formed.publicResourceFeeBasisPoints).toBe(0);
    const twice = await operator.post(`/v1/negotiations/${applied.body.id}/purpose-review`, {
      decision: 'refuse',
      reason: 'again',
    });
    expect(twice.status).toBe(409);
    expect(await ledgerActions(applied.body.id)).toEqual([
      'negotiation.requested',
      'negotiation.accepted',
      'negotiation.purposeApproved',
      'contract.formed',
    ]);
  });

  it('ends with purpose_refused when the operator refuses the purpose', async () => {
    const applied = await apply(buyer.client, listings.free, free());
    await merchant.client.post(`/v1/negotiations/${applied.body.id}/accept`, { version: 1 });
    const refused = await operator.post(`/v1/negotiations/${applied.body.id}/purpose-review`, {
      decision: 'refuse',
      reason: '商业用途，不属于公益',
    });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      state: 'terminated',
      contractId: null,
      purposeApproval: 'refused',
      termination: { reason: 'purpose_refused', detail: '商业用途，不属于公益', by: 'operator' },
    });
  });
});

describe('termination', () => {
  it('needs a known reason code, the party’s own, and a detail for other', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    const id = applied.body.id as string;
    const before = await snapshot();
    expect((await buyer.client.post(`/v1/negotiations/${id}/terminate`, {})).status).toBe(400);
    expect((await buyer.client.post(`/v1/negotiations/${id}/terminate`, { reason: 'bored' })).status).toBe(
      400,
    );
    expect((await buyer.client.post(`/v1/negotiations/${id}/terminate`, { reason: 'other' })).status).toBe(
      400,
    );
    expect(
      (await merchant.client.post(`/v1/negotiations/${id}/terminate`, { reason: 'buyer_withdrew' })).status,
    ).toBe(400);
    expect(await snapshot()).toEqual(before);
    const ended = await merchant.client.post(`/v1/negotiations/${id}/terminate`, {
      reason: 'merchant_declined',
      detail: '本季度不再接单',
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({
      state: 'terminated',
      termination: { reason: 'merchant_declined', detail: '本季度不再接单', by: 'merchant' },
    });
    expect(ended.body.termination.description).toBe('the merchant declined');
    const after = await buyer.client.post(`/v1/negotiations/${id}/offers`, {
      basedOnVersion: 1,
      terms: termsBody(computeTerms({ priceFen: 2n })),
    });
    expect(after.status).toBe(409);
  });

  it('ends the unsigned contract with an agreed negotiation', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    const accepted = await merchant.client.post(`/v1/negotiations/${applied.body.id}/accept`, { version: 1 });
    const ended = await buyer.client.post(`/v1/negotiations/${applied.body.id}/terminate`, {
      reason: 'buyer_withdrew',
    });
    expect(ended.status).toBe(200);
    const formed = await contract(accepted.body.contractId);
    expect(formed).toMatchObject({ state: 'ended', endReason: 'terminated' });
    expect(await ledgerActions(accepted.body.contractId)).toEqual(['contract.formed', 'contract.terminated']);
  });
});

describe('parallel steps: exactly one wins', () => {
  it('accepts one of 12 parallel acceptances and forms one contract', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    const id = applied.body.id as string;
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => merchant.client.post(`/v1/negotiations/${id}/accept`, { version: 1 })),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(11);
    const rows: { n: number | string }[] = await orm()
      .em.getConnection()
      .execute('select count(*) as n from "contracts" where "negotiation_id" = ?', [id]);
    expect(Number(rows[0].n)).toBe(1);
    expect(await ledgerActions(id)).toEqual([
      'negotiation.requested',
      'negotiation.accepted',
      'contract.formed',
    ]);
  });

  it('takes one of 12 parallel counter-offers and one of a counter racing an acceptance', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    const id = applied.body.id as string;
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        merchant.client.post(`/v1/negotiations/${id}/offers`, {
          basedOnVersion: 1,
          terms: termsBody(computeTerms({ priceFen: BigInt(100_000 + i) })),
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(11);
    const view = await buyer.client.get(`/v1/negotiations/${id}`);
    expect(view.body.versions).toHaveLength(2);
    const [counter, accept] = await Promise.all([
      buyer.client.post(`/v1/negotiations/${id}/offers`, {
        basedOnVersion: 2,
        terms: termsBody(computeTerms({ priceFen: 90_000n })),
      }),
      buyer.client.post(`/v1/negotiations/${id}/accept`, { version: 2 }),
    ]);
    expect([counter.status === 201, accept.status === 200].filter(Boolean)).toHaveLength(1);
    expect([counter.status, accept.status]).toContain(409);
  });
});

describe('steps racing the listing’s suspension', () => {
  it('queues instead of deadlocking: each acceptance either forms its contract before the suspension or is refused', async () => {
    const asset = (await registerAsset(merchant.client, operator, assetBody(merchant.organisationId))).id;
    const listing = await publishedListing(merchant.client, operator, listingBody([asset]));
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await apply(buyer.client, listing, computeTerms())).body.id);
    const [suspension, ...accepts] = await Promise.all([
      operator.post(`/v1/listings/${listing}/suspend`, { reason: '核查' }),
      ...ids.map((id) => merchant.client.post(`/v1/negotiations/${id}/accept`, { version: 1 })),
    ]);
    expect(suspension.status).toBe(200);
    for (const reply of accepts) expect([200, 409]).toContain(reply.status);
    for (const [i, reply] of accepts.entries()) {
      const view = await buyer.client.get(`/v1/negotiations/${ids[i]}`);
      expect(view.body.state).toBe(reply.status === 200 ? 'agreed' : 'requested');
      if (reply.status === 409) expect(reply.body.code).toBe('listing_unavailable');
    }
  });
});

describe('the states after agreement, moved by signing and funding', () => {
  it('goes agreed → verified → finalized once each, with a ledger entry each, inside the caller’s transaction', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms());
    const id = applied.body.id as string;
    const accepted = await merchant.client.post(`/v1/negotiations/${id}/accept`, { version: 1 });
    const service = t.app.get(NegotiationService);
    const uow = t.app.get(UnitOfWork);
    await expect(uow.run((em) => service.markFinalized(em, id))).rejects.toThrow(/agreed, not verified/);
    await uow.run((em) => service.markVerified(em, id));
    await expect(uow.run((em) => service.markVerified(em, id))).rejects.toThrow(/verified, not agreed/);
    expect((await buyer.client.get(`/v1/negotiations/${id}`)).body.state).toBe('verified');
    // A failure later in the caller's transaction takes the step back with it.
    await expect(
      uow.run(async (em) => {
        await service.markFinalized(em, id);
        throw new Error('funding failed');
      }),
    ).rejects.toThrow('funding failed');
    expect((await buyer.client.get(`/v1/negotiations/${id}`)).body.state).toBe('verified');
    await uow.run((em) => service.markFinalized(em, id));
    const done = await buyer.client.get(`/v1/negotiations/${id}`);
    expect(done.body).toMatchObject({ state: 'finalized', contractId: accepted.body.contractId });
    expect(await ledgerActions(id)).toEqual([
      'negotiation.requested',
      'negotiation.accepted',
      'contract.formed',
      'negotiation.verified',
      'negotiation.finalized',
    ]);
    const late = await buyer.client.post(`/v1/negotiations/${id}/terminate`, { reason: 'buyer_withdrew' });
    expect(late.status).toBe(409);
  });
});

describe('offers expire', () => {
  it('refuses to accept an expired version and the sweep ends the negotiation with offer_expired', async () => {
    const applied = await apply(buyer.client, listings.shared, computeTerms(), { expiresInDays: 1 });
    expect(applied.status).toBe(201);
    const id = applied.body.id as string;
    const open = await apply(buyer.client, listings.shared, computeTerms({ priceFen: 3n }), {
      expiresInDays: 3,
    });
    t.clock.advance(DAY + 1000);
    const merchantClient = await world.login(merchant.username);
    const before = await snapshot();
    const late = await merchantClient.post(`/v1/negotiations/${id}/accept`, { version: 1 });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('offer_expired');
    expect(await snapshot()).toEqual(before);
    const ended = await t.app.get(NegotiationService).expireOffers(t.clock.now());
    expect(ended).toBeGreaterThanOrEqual(1);
    const view = await merchantClient.get(`/v1/negotiations/${id}`);
    expect(view.body).toMatchObject({
      state: 'terminated',
      termination: { reason: 'offer_expired', by: 'platform' },
    });
    expect((await ledgerActions(id)).at(-1)).toBe('negotiation.terminated');
    const still = await merchantClient.get(`/v1/negotiations/${open.body.id}`);
    expect(still.body.state).toBe('requested');
    expect(await t.app.get(NegotiationService).expireOffers(t.clock.now())).toBe(0);
  });
});

it('answers every successful negotiation route exactly as the OpenAPI document describes', () => {
  expect(shapeProblems).toEqual([]);
  expect(checkedReplies).toBeGreaterThan(40);
});
