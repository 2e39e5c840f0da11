import { jest } from '@jest/globals';
import { MikroORM } from '@mikro-orm/core';
import { AssetLifecycle } from '@app/assets';
import { CatalogIndex } from '@app/catalog';
import { UnitOfWork } from '@app/database';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient, Reply } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';

/**
 * Listings end to end on SQLite and, with DATABASE_URL, PostgreSQL: the rules of DS 29/58/59, DE 31/35/41 as 422s
 * that name the article and change nothing, the lifecycle and who sees what, and the catalogue following it.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let other: Party;
let buyer: Party;
let assets: Record<keyof typeof assetVariants, string>;
let publishSpy: jest.Spied<CatalogIndex['publish']>;
let removeSpy: jest.Spied<CatalogIndex['remove']>;

const register = async (owner: Party, variant: Record<string, unknown>) =>
  (await registerAsset(owner.client, operator, assetBody(owner.organisationId, variant))).id;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  other = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  assets = {
    open: await register(merchant, assetVariants.open),
    notOpen: await register(merchant, assetVariants.notOpen),
    publicData: await register(merchant, assetVariants.publicData),
    important: await register(merchant, assetVariants.important),
    core: await register(merchant, assetVariants.core),
  };
  const index = t.app.get(CatalogIndex);
  publishSpy = jest.spyOn(index, 'publish');
  removeSpy = jest.spyOn(index, 'remove');
  const band = await regulator.post('/v1/pricing-bands', {
    category: 'transit',
    minFen: '1000',
    maxFen: 5000,
    publicResourceFeeBasisPoints: 500,
  });
  expect(band.status).toBe(201);
}, 120_000);
afterAll(() => t.close());

const count = async (table: string): Promise<number> => {
  const rows: { n: number | string }[] = await t.app
    .get(MikroORM)
    .em.getConnection()
    .execute(`select count(*) as n from "${table}"`);
  return Number(rows[0].n);
};
const ledgerActions = async (subjectId: string): Promise<string[]> => {
  const rows: { action: string }[] = await t.app
    .get(MikroORM)
    .em.getConnection()
    .execute(
      `select e."action" from "ledger_entries" e join "ledger_subjects" s on s."leaf_index" = e."leaf_index"
       where s."subject_id" = ? order by e."leaf_index"`,
      [subjectId],
    );
  return rows.map((r) => r.action);
};

/** The listing and ledger tables as they are, to prove a refusal changed nothing. */
const snapshot = async () => ({
  listings: await count('listings'),
  links: await count('listing_assets'),
  ledger: await count('ledger_entries'),
});

describe('pricing bands (DE 41, DE 36)', () => {
  it('lets only a regulator publish one, money as decimal strings, and anyone read it', async () => {
    const denied = await operator.post('/v1/pricing-bands', {
      category: 'energy',
      minFen: '1',
      maxFen: '2',
      publicResourceFeeBasisPoints: 0,
    });
    expect(denied.status).toBe(403);
    const bands = await world.anonymous.get('/v1/pricing-bands');
    expect(bands.status).toBe(200);
    expect(bands.body.bands).toEqual([
      expect.objectContaining({
        category: 'transit',
        minFen: '1000',
        maxFen: '5000',
        version: 1,
        supersededAt: null,
      }),
    ]);
  });

  it('refuses a band whose minimum exceeds its maximum with the article, storing nothing', async () => {
    const before = await count('pricing_bands');
    const reply = await regulator.post('/v1/pricing-bands', {
      category: 'energy',
      minFen: '9000',
      maxFen: '100',
      publicResourceFeeBasisPoints: 100,
    });
    expect(reply).toMatchObject({ status: 422, body: { article: 'DE 41', code: 'invalid_band' } });
    expect(await count('pricing_bands')).toBe(before);
  });

  it.each([
    ['a negative amount', { minFen: '-1' }],
    ['a fractional amount', { minFen: 10.5 }],
    ['an amount past 2^53 as a number', { maxFen: 2 ** 60 }],
    ['a fee above 10000 basis points', { publicResourceFeeBasisPoints: 10_001 }],
  ])('refuses %s with 400', async (_what, change) => {
    const reply = await regulator.post('/v1/pricing-bands', {
      category: 'energy',
      minFen: '100',
      maxFen: '9000',
      publicResourceFeeBasisPoints: 100,
      ...change,
    });
    expect(reply.status).toBe(400);
  });

  it('supersedes the category’s band with a new version and keeps the old one in the history', async () => {
    const first = await regulator.post('/v1/pricing-bands', {
      category: 'weather',
      minFen: '100',
      maxFen: '200',
      publicResourceFeeBasisPoints: 100,
    });
    const second = await regulator.post('/v1/pricing-bands', {
      category: 'weather',
      minFen: '150',
      maxFen: '99999999999999999',
      publicResourceFeeBasisPoints: 200,
    });
    expect(second).toMatchObject({ status: 201, body: { version: 2, maxFen: '99999999999999999' } });
    const current = await world.anonymous.get('/v1/pricing-bands?category=weather');
    expect(current.body.bands.map((b: { id: string }) => b.id)).toEqual([second.body.id]);
    const history = await world.anonymous.get('/v1/pricing-bands?category=weather&history=true');
    expect(history.body.bands).toEqual([
      expect.objectContaining({ id: second.body.id, supersededAt: null }),
      expect.objectContaining({ id: first.body.id, supersededAt: expect.any(String) }),
    ]);
    expect(await ledgerActions(second.body.id)).toEqual(['pricingBand.published']);
  });
});

describe('parallel band publications for one category', () => {
  it('keep one band in force and a gap-free version history', async () => {
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        regulator.post('/v1/pricing-bands', {
          category: 'race',
          minFen: String(100 + i),
          maxFen: '10000',
          publicResourceFeeBasisPoints: 100,
        }),
      ),
    );
    const won = replies.filter((r) => r.status === 201);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const history = await world.anonymous.get('/v1/pricing-bands?category=race&history=true');
    const versions = history.body.bands.map((b: { version: number }) => b.version).sort();
    expect(versions).toEqual(Array.from({ length: won.length }, (_, i) => i + 1));
    expect(
      history.body.bands.filter((b: { supersededAt: string | null }) => b.supersededAt === null),
    ).toHaveLength(1);
  });
});

describe('making a listing', () => {
  it('makes a draft whose level is the highest of its assets (DS 29) and whose attribute is the strictest', async () => {
    const reply = await merchant.client.post(
      '/v1/listings',
      listingBody([assets.open, assets.important], {
        recipes: [
          { recipe: 'mean', columns: ['vehicle_count'] },
          { recipe: 'correlation', columns: ['vehicle_count', 'grid_load'] },
        ],
        billingUnits: ['per-computation', 'subscription'],
        subscriptionDays: 30,
      }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      status: 'draft',
      level: 'important',
      openAttribute: 'not-open',
      assetIds: [assets.open, assets.important],
      industry: 'transport',
      pricing: { mode: 'market', priceFen: '150000', category: null, band: null },
      subscriptionDays: 30,
      minRows: 50,
      obligations: { securityAgreement: true, purposeRequired: true, crossBorder: false },
    });
    expect(await ledgerActions(reply.body.id)).toEqual(['listing.created']);
  });

  it('takes a guided price inside the band and records the band it was checked against', async () => {
    const reply = await merchant.client.post(
      '/v1/listings',
      listingBody([assets.publicData], {
        pricing: { mode: 'guided', priceFen: 3000, category: 'transit' },
        recipes: [{ recipe: 'sum', columns: ['boardings'] }],
      }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.pricing).toMatchObject({
      mode: 'guided',
      priceFen: '3000',
      category: 'transit',
      band: { category: 'transit', minFen: '1000', maxFen: '5000', publicResourceFeeBasisPoints: 500 },
    });
  });

  it('delivers unconditionally open data as a file, and public data conditionally free at 0', async () => {
    const file = await merchant.client.post(
      '/v1/listings',
      listingBody([assets.open], {
        delivery: 'file',
        recipes: [],
        minRows: undefined,
        billingUnits: ['one-off'],
      }),
    );
    expect(file).toMatchObject({ status: 201, body: { delivery: 'file', recipes: [], minRows: null } });
    const free = await merchant.client.post(
      '/v1/listings',
      listingBody([assets.publicData], {
        pricing: { mode: 'conditional-free', priceFen: '0' },
        recipes: [{ recipe: 'count', columns: ['boardings'] }],
      }),
    );
    expect(free).toMatchObject({
      status: 201,
      body: { pricing: { mode: 'conditional-free', priceFen: '0' } },
    });
  });

  describe('refusals by rule: 422 naming the article, nothing stored', () => {
    // Every row has five cells: with fewer, jest would pass its `done` callback as the last parameter.
    const cases: [string, () => Record<string, unknown>, string, string, RegExp | null][] = [
      [
        'core data (even with other data)',
        () => listingBody([assets.open, assets.core]),
        'DS 59',
        'core_not_listable',
        null,
      ],
      [
        'file delivery of not-open data',
        () => listingBody([assets.notOpen], { delivery: 'file', recipes: [], minRows: undefined }),
        'DS 58',
        'delivery_not_allowed',
        null,
      ],
      [
        'file delivery of conditional data',
        () =>
          listingBody([assets.publicData], {
            delivery: 'file',
            recipes: [],
            minRows: undefined,
            pricing: { mode: 'conditional-free', priceFen: '0' },
          }),
        'DE 31',
        'delivery_not_allowed',
        null,
      ],
      [
        'a guided price above its band',
        () =>
          listingBody([assets.publicData], {
            pricing: { mode: 'guided', priceFen: '5001', category: 'transit' },
            recipes: [{ recipe: 'sum', columns: ['boardings'] }],
          }),
        'DE 41',
        'price_outside_band',
        /band for transit: 1000 fen to 5000 fen/,
      ],
      [
        'a guided price below its band',
        () =>
          listingBody([assets.publicData], {
            pricing: { mode: 'guided', priceFen: '999', category: 'transit' },
            recipes: [{ recipe: 'sum', columns: ['boardings'] }],
          }),
        'DE 41',
        'price_outside_band',
        /transit/,
      ],
      [
        'a guided price for a category without a band',
        () =>
          listingBody([assets.publicData], {
            pricing: { mode: 'guided', priceFen: '1000', category: 'no-such-category' },
            recipes: [{ recipe: 'sum', columns: ['boardings'] }],
          }),
        'DE 41',
        'no_pricing_band',
        null,
      ],
      [
        'a conditional-free price that is not 0',
        () =>
          listingBody([assets.publicData], {
            pricing: { mode: 'conditional-free', priceFen: '1' },
            recipes: [{ recipe: 'sum', columns: ['boardings'] }],
          }),
        'DE 41',
        'free_must_be_zero',
        null,
      ],
      [
        'market pricing of public data',
        () =>
          listingBody([assets.publicData], {
            recipes: [{ recipe: 'sum', columns: ['boardings'] }],
          }),
        'DE 41',
        'mode_not_for_data_kind',
        null,
      ],
      [
        'guided pricing of enterprise data',
        () =>
          listingBody([assets.open], { pricing: { mode: 'guided', priceFen: '2000', category: 'transit' } }),
        'DE 41',
        'mode_not_for_data_kind',
        null,
      ],
      [
        'a row minimum below 10',
        () =>
          listingBody([assets.notOpen], { recipes: [{ recipe: 'sum', columns: ['visits'] }], minRows: 9 }),
        'DS 58',
        'min_rows_too_small',
        null,
      ],
      [
        'a compute listing without recipes',
        () => listingBody([assets.notOpen], { recipes: [] }),
        'DS 58',
        'recipes_required',
        null,
      ],
    ];

    it.each(cases)('refuses %s', async (_what, body, article, code, message) => {
      const before = await snapshot();
      const reply = await merchant.client.post('/v1/listings', body());
      expect(reply).toMatchObject({ status: 422, body: { article, code } });
      expect(reply.body.message).toMatch(new RegExp(`^${article}: `));
      if (message) expect(reply.body.message).toMatch(message);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses an asset whose operation right (经营权) the merchant does not hold (DE 35)', async () => {
      const holdsOnlyProcessing = await register(merchant, {
        ...assetVariants.open,
        rights: [
          { right: 'holding', organisationId: merchant.organisationId, shareBasisPoints: 10_000 },
          { right: 'processing', organisationId: merchant.organisationId, shareBasisPoints: 10_000 },
          { right: 'operation', organisationId: other.organisationId, shareBasisPoints: 10_000 },
        ],
      });
      const before = await snapshot();
      const reply = await merchant.client.post('/v1/listings', listingBody([holdsOnlyProcessing]));
      expect(reply).toMatchObject({
        status: 422,
        body: { article: 'DE 35', code: 'operation_right_required' },
      });
      expect(await snapshot()).toEqual(before);
      // The holder of the operation right lists it.
      const byOperator = await other.client.post('/v1/listings', listingBody([holdsOnlyProcessing]));
      expect(byOperator.status).toBe(201);
    });
  });

  it.each([
    ['an unknown recipe', { recipes: [{ recipe: 'median', columns: ['vehicle_count'] }] }, 'unknown_recipe'],
    ['a column the assets lack', { recipes: [{ recipe: 'sum', columns: ['speed'] }] }, 'unknown_column'],
    [
      'a text column for a numeric recipe',
      { recipes: [{ recipe: 'sum', columns: ['intersection_id'] }] },
      'column_not_numeric',
    ],
    ['recipes on a file listing', { delivery: 'file' }, 'validation_failed'],
    ['a subscription without its period', { billingUnits: ['subscription'] }, 'validation_failed'],
    [
      'a category for market pricing',
      { pricing: { mode: 'market', priceFen: '1', category: 'transit' } },
      'validation_failed',
    ],
  ])('answers %s with 400 and stores nothing', async (_what, change, code) => {
    const before = await snapshot();
    const reply = await merchant.client.post('/v1/listings', listingBody([assets.open], change));
    expect(reply).toMatchObject({ status: 400, body: { code } });
    expect(await snapshot()).toEqual(before);
  });

  it('answers an asset named twice with 400 and stores nothing', async () => {
    const before = await snapshot();
    const reply = await merchant.client.post('/v1/listings', listingBody([assets.open, assets.open]));
    const code = 'validation_failed';
    expect(reply).toMatchObject({ status: 400, body: { code } });
    expect(await snapshot()).toEqual(before);
  });

  it('answers 404 for an asset the merchant cannot see and 409 for one not registered', async () => {
    const before = await snapshot();
    const othersAsset = await register(other, assetVariants.open);
    const hidden = await merchant.client.post('/v1/listings', listingBody([othersAsset]));
    expect(hidden.status).toBe(404);
    const missing = await merchant.client.post(
      '/v1/listings',
      listingBody(['00000000-0000-4000-8000-000000000000']),
    );
    expect(missing.status).toBe(404);
    const draft = await merchant.client.post(
      '/v1/assets',
      assetBody(merchant.organisationId, assetVariants.open),
    );
    const unregistered = await merchant.client.post('/v1/listings', listingBody([draft.body.id]));
    expect(unregistered).toMatchObject({ status: 409, body: { code: 'asset_not_registered' } });
    expect((await snapshot()).listings).toBe(before.listings);
  });

  it('is for merchants only', async () => {
    expect((await buyer.client.post('/v1/listings', listingBody([assets.open]))).status).toBe(403);
    expect((await world.anonymous.post('/v1/listings', listingBody([assets.open]))).status).toBe(401);
  });
});

describe('the lifecycle', () => {
  const step = (client: HttpClient, id: string, action: string, body: unknown = {}) =>
    client.post(`/v1/listings/${id}/${action}`, body);

  it('goes draft → submitted → approved → published → suspended → published → withdrawn, on the ledger and in the catalogue', async () => {
    const created = await merchant.client.post('/v1/listings', listingBody([assets.open]));
    const id = created.body.id as string;
    const buyerSees = async () => (await buyer.client.get(`/v1/listings/${id}`)).status;

    expect(await buyerSees()).toBe(404);
    expect(await step(merchant.client, id, 'submit')).toMatchObject({
      status: 200,
      body: { status: 'submitted' },
    });
    expect(await buyerSees()).toBe(404);
    expect(await step(operator, id, 'review', { decision: 'approve' })).toMatchObject({
      status: 200,
      body: { status: 'approved' },
    });
    expect(await buyerSees()).toBe(404);
    publishSpy.mockClear();
    const published = await step(merchant.client, id, 'publish');
    expect(published).toMatchObject({
      status: 200,
      body: { status: 'published', publishedAt: expect.any(String) },
    });
    expect(publishSpy).toHaveBeenCalledTimes(1);
    expect(publishSpy.mock.calls[0][1]).toMatchObject({
      listingId: id,
      organisationId: merchant.organisationId,
      merchantName: `Party ${merchant.username}`,
      level: 'general',
      pricingMode: 'market',
      priceFen: 150000n,
      recipes: ['mean'],
      minRows: 50,
    });
    expect(await buyerSees()).toBe(200);

    removeSpy.mockClear();
    expect(await step(regulator, id, 'suspend', {})).toMatchObject({ status: 400 });
    expect(await step(regulator, id, 'suspend', { reason: '涉嫌违规交易，暂停核查 (DS 58)' })).toMatchObject({
      status: 200,
      body: { status: 'suspended', statusReason: '涉嫌违规交易，暂停核查 (DS 58)' },
    });
    expect(removeSpy).toHaveBeenCalledTimes(1);
    expect(await buyerSees()).toBe(404);
    expect((await merchant.client.get(`/v1/listings/${id}`)).body.status).toBe('suspended');

    expect(await step(operator, id, 'reinstate')).toMatchObject({
      status: 200,
      body: { status: 'published' },
    });
    expect(await buyerSees()).toBe(200);
    expect(await step(merchant.client, id, 'withdraw')).toMatchObject({
      status: 200,
      body: { status: 'withdrawn' },
    });
    expect(await buyerSees()).toBe(404);
    expect(await step(merchant.client, id, 'publish')).toMatchObject({
      status: 409,
      body: { code: 'invalid_transition' },
    });

    expect(await ledgerActions(id)).toEqual([
      'listing.created',
      'listing.submitted',
      'listing.approved',
      'listing.published',
      'listing.suspended',
      'listing.reinstated',
      'listing.withdrawn',
    ]);
  });

  it('rejects only with a reason, and a rejected listing stays rejected', async () => {
    const id = (await merchant.client.post('/v1/listings', listingBody([assets.open]))).body.id;
    await step(merchant.client, id, 'submit');
    expect((await step(operator, id, 'review', { decision: 'reject' })).status).toBe(400);
    expect(await step(operator, id, 'review', { decision: 'reject', reason: '描述不完整' })).toMatchObject({
      status: 200,
      body: { status: 'rejected', statusReason: '描述不完整' },
    });
    expect((await step(merchant.client, id, 'submit')).status).toBe(409);
    expect((await step(merchant.client, id, 'withdraw')).status).toBe(409);
    expect((await buyer.client.get(`/v1/listings/${id}`)).status).toBe(404);
  });

  it('keeps each step to its role: merchants do not review or suspend, overseers do not publish', async () => {
    const id = (await merchant.client.post('/v1/listings', listingBody([assets.open]))).body.id;
    expect((await step(merchant.client, id, 'review', { decision: 'approve' })).status).toBe(403);
    expect((await step(buyer.client, id, 'submit')).status).toBe(403);
    expect((await step(operator, id, 'submit')).status).toBe(403);
    expect((await step(merchant.client, id, 'publish')).status).toBe(409);
    expect((await step(operator, id, 'review', { decision: 'approve' })).status).toBe(409);
  });

  it('approves important data only with the security review its asset carries (DS 26)', async () => {
    const id = await publishedListing(
      merchant.client,
      operator,
      listingBody([assets.important], { recipes: [{ recipe: 'sum', columns: ['grid_load'] }] }),
    );
    expect((await buyer.client.get(`/v1/listings/${id}`)).body).toMatchObject({
      level: 'important',
      obligations: { securityAgreement: true },
    });
  });

  it('checks a guided price again at approval against the band then in force, and keeps that band', async () => {
    await regulator.post('/v1/pricing-bands', {
      category: 'parking',
      minFen: '100',
      maxFen: '900',
      publicResourceFeeBasisPoints: 300,
    });
    const body = listingBody([assets.publicData], {
      pricing: { mode: 'guided', priceFen: '800', category: 'parking' },
      recipes: [{ recipe: 'sum', columns: ['boardings'] }],
    });
    const stale = (await merchant.client.post('/v1/listings', body)).body.id;
    const kept = await publishedListing(merchant.client, operator, body);
    const tightened = await regulator.post('/v1/pricing-bands', {
      category: 'parking',
      minFen: '100',
      maxFen: '500',
      publicResourceFeeBasisPoints: 300,
    });
    expect(tightened.status).toBe(201);
    await step(merchant.client, stale, 'submit').then((r) => expect(r.status).toBe(422));
    const keptNow = await merchant.client.get(`/v1/listings/${kept}`);
    expect(keptNow.body).toMatchObject({
      status: 'published',
      pricing: { band: { maxFen: '900', supersededAt: expect.any(String) } },
    });
  });
});

describe('who sees what', () => {
  let draft: string;
  let published: string;

  beforeAll(async () => {
    draft = (
      await merchant.client.post(
        '/v1/listings',
        listingBody([assets.notOpen], { recipes: [{ recipe: 'sum', columns: ['visits'] }] }),
      )
    ).body.id;
    published = await publishedListing(
      merchant.client,
      operator,
      listingBody([assets.notOpen], {
        title: 'published',
        recipes: [{ recipe: 'sum', columns: ['visits'] }],
      }),
    );
  });

  it('hides a draft from other merchants and buyers (404), shows it to its merchant and overseers', async () => {
    for (const client of [other.client, buyer.client]) {
      expect((await client.get(`/v1/listings/${draft}`)).status).toBe(404);
    }
    for (const client of [merchant.client, operator, regulator]) {
      expect(await client.get(`/v1/listings/${draft}`)).toMatchObject({
        status: 200,
        body: { status: 'draft' },
      });
    }
  });

  it('does not let another merchant submit, publish or withdraw it (404), and changes nothing', async () => {
    const before = await snapshot();
    for (const action of ['submit', 'publish', 'withdraw']) {
      expect((await other.client.post(`/v1/listings/${draft}/${action}`, {})).status).toBe(404);
    }
    expect((await other.client.post(`/v1/listings/${published}/withdraw`, {})).status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await merchant.client.get(`/v1/listings/${draft}`)).body.status).toBe('draft');
  });

  it('shows a published listing to buyers and other merchants', async () => {
    expect((await buyer.client.get(`/v1/listings/${published}`)).status).toBe(200);
    expect((await other.client.get(`/v1/listings/${published}`)).status).toBe(200);
  });

  it('lists a merchant’s own listings only, overseers all, newest first, a page at a time', async () => {
    const own = await merchant.client.get('/v1/listings?status=draft&limit=200');
    expect(own.status).toBe(200);
    const ids = own.body.items.map((l: { id: string }) => l.id);
    expect(ids).toContain(draft);
    expect(
      own.body.items.every(
        (l: { organisationId: string; status: string }) =>
          l.organisationId === merchant.organisationId && l.status === 'draft',
      ),
    ).toBe(true);
    expect(
      (await other.client.get('/v1/listings?limit=200')).body.items.map((l: { id: string }) => l.id),
    ).not.toContain(draft);
    expect((await buyer.client.get('/v1/listings')).status).toBe(403);

    const all: string[] = [];
    let after: string | null = null;
    do {
      const page: Reply = await regulator.get(`/v1/listings?limit=2${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      all.push(...page.body.items.map((l: { id: string }) => l.id));
      after = page.body.next;
    } while (after);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(await count('listings'));
    expect(all).toEqual(expect.arrayContaining([draft, published]));
  });

  it('refuses a cursor it did not make', async () => {
    expect((await merchant.client.get('/v1/listings?after=bm90LWEtY3Vyc29y')).status).toBe(400);
  });
});

describe('an asset that stops being listable', () => {
  it('suspends the published listings built on it, in the asset’s transaction, naming the asset', async () => {
    const asset = await register(merchant, assetVariants.open);
    const published = await publishedListing(merchant.client, operator, listingBody([asset]));
    const draft = (await merchant.client.post('/v1/listings', listingBody([asset]))).body.id;
    removeSpy.mockClear();
    await t.app
      .get(UnitOfWork)
      .run((em) => t.app.get(AssetLifecycle).withdrawn(em, asset, 'cancelled (注销)'));
    const after = await merchant.client.get(`/v1/listings/${published}`);
    expect(after.body.status).toBe('suspended');
    expect(after.body.statusReason).toContain(asset);
    expect(removeSpy).toHaveBeenCalledWith(expect.anything(), published);
    expect((await buyer.client.get(`/v1/listings/${published}`)).status).toBe(404);
    expect((await merchant.client.get(`/v1/listings/${draft}`)).body.status).toBe('draft');
    expect(await ledgerActions(published)).toContain('listing.suspended');
  });
});

describe('an asset cancelled through its route (注销)', () => {
  it('suspends its published listings in the cancellation’s transaction, and they cannot be reinstated', async () => {
    const asset = await register(merchant, assetVariants.open);
    const kept = await register(merchant, assetVariants.open);
    const published = await publishedListing(merchant.client, operator, listingBody([kept, asset]));
    const unaffected = await publishedListing(merchant.client, operator, listingBody([kept]));
    const approved = (await merchant.client.post('/v1/listings', listingBody([asset]))).body.id;
    await merchant.client.post(`/v1/listings/${approved}/submit`, {});
    await operator.post(`/v1/listings/${approved}/review`, { decision: 'approve' });

    const cancelled = await operator.post(`/v1/assets/${asset}/cancel`, { reason: '数据源停止采集' });
    expect(cancelled.status).toBe(200);
    const after = await merchant.client.get(`/v1/listings/${published}`);
    expect(after.body).toMatchObject({ status: 'suspended' });
    expect(after.body.statusReason).toContain(asset);
    expect(after.body.statusReason).toContain('数据源停止采集');
    expect((await buyer.client.get(`/v1/listings/${published}`)).status).toBe(404);
    expect((await buyer.client.get(`/v1/listings/${unaffected}`)).body.status).toBe('published');

    const reinstated = await regulator.post(`/v1/listings/${published}/reinstate`, {});
    expect(reinstated).toMatchObject({ status: 409, body: { code: 'asset_not_registered' } });
    const publishing = await merchant.client.post(`/v1/listings/${approved}/publish`, {});
    expect(publishing).toMatchObject({ status: 409, body: { code: 'asset_not_registered' } });
    expect((await merchant.client.post('/v1/listings', listingBody([asset]))).status).toBe(409);
  });
});

describe('parallel steps on one listing', () => {
  const statuses = (replies: Reply[]) => replies.map((r) => r.status).sort();

  it('publishes once of 8 parallel publishes', async () => {
    const id = (await merchant.client.post('/v1/listings', listingBody([assets.open]))).body.id;
    await step(merchant.client, id, 'submit');
    await step(operator, id, 'review', { decision: 'approve' });
    publishSpy.mockClear();
    const replies = await Promise.all(Array.from({ length: 8 }, () => step(merchant.client, id, 'publish')));
    expect(statuses(replies)).toEqual([200, ...Array(7).fill(409)]);
    expect(publishSpy).toHaveBeenCalledTimes(1);
    expect((await ledgerActions(id)).filter((a) => a === 'listing.published')).toHaveLength(1);
  });

  it('suspends once of parallel suspensions by operator and regulator, and leaves the catalogue once', async () => {
    const id = await publishedListing(merchant.client, operator, listingBody([assets.open]));
    removeSpy.mockClear();
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        step(i % 2 ? regulator : operator, id, 'suspend', { reason: 'race' }),
      ),
    );
    expect(statuses(replies)).toEqual([200, ...Array(7).fill(409)]);
    expect(removeSpy).toHaveBeenCalledTimes(1);
    expect((await ledgerActions(id)).filter((a) => a === 'listing.suspended')).toHaveLength(1);
  });

  it('takes each of parallel suspensions and withdrawals at most once; the listing leaves the catalogue once', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await publishedListing(merchant.client, operator, listingBody([assets.open]));
      removeSpy.mockClear();
      const suspends = Array.from({ length: 3 }, () => step(regulator, id, 'suspend', { reason: 'race' }));
      const withdraws = Array.from({ length: 3 }, () => step(merchant.client, id, 'withdraw'));
      const [suspended, withdrawn] = await Promise.all([Promise.all(suspends), Promise.all(withdraws)]);
      const ok = (replies: Reply[]) => replies.filter((r) => r.status === 200).length;
      // Withdrawal is allowed from suspended too, so both may succeed, one after the other: never twice each.
      expect(ok(withdrawn)).toBe(1);
      expect(ok(suspended)).toBeLessThanOrEqual(1);
      expect([...suspended, ...withdrawn].every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(removeSpy).toHaveBeenCalledTimes(1);
      const actions = await ledgerActions(id);
      expect(actions.filter((a) => a === 'listing.withdrawn')).toHaveLength(1);
      expect(actions.filter((a) => a === 'listing.suspended')).toHaveLength(ok(suspended));
      expect((await merchant.client.get(`/v1/listings/${id}`)).body.status).toBe('withdrawn');
    }
  });

  it('never leaves a listing published on a cancelled asset when publication races the cancellation', async () => {
    for (let round = 0; round < 3; round++) {
      const asset = await register(merchant, assetVariants.open);
      const id = (await merchant.client.post('/v1/listings', listingBody([asset]))).body.id;
      await step(merchant.client, id, 'submit');
      await step(operator, id, 'review', { decision: 'approve' });
      publishSpy.mockClear();
      removeSpy.mockClear();
      const [cancelled, published] = await Promise.all([
        operator.post(`/v1/assets/${asset}/cancel`, { reason: 'race' }),
        step(merchant.client, id, 'publish'),
      ]);
      expect(cancelled.status).toBe(200);
      const status = (await merchant.client.get(`/v1/listings/${id}`)).body.status;
      if (published.status === 200) {
        // Published first: the cancellation suspended it and took it out of the catalogue again.
        expect(status).toBe('suspended');
        expect([publishSpy.mock.calls.length, removeSpy.mock.calls.length]).toEqual([1, 1]);
      } else {
        expect(published).toMatchObject({ status: 409, body: { code: 'asset_not_registered' } });
        expect(status).toBe('approved');
        expect([publishSpy.mock.calls.length, removeSpy.mock.calls.length]).toEqual([0, 0]);
      }
    }
  });

  function step(client: HttpClient, id: string, action: string, body: unknown = {}) {
    return client.post(`/v1/listings/${id}/${action}`, body);
  }
});

it('leaves a ledger that verifies after all of it', async () => {
  const verify = await regulator.get('/v1/ledger/verify');
  expect(verify).toMatchObject({ status: 200, body: { ok: true } });
});
