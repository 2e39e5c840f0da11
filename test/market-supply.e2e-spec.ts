import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';

/**
 * The supply side as its users meet it, over HTTP on SQLite and (with DATABASE_URL) PostgreSQL: a merchant registers
 * an asset, the operator approves it, the merchant lists and publishes a product, and anyone finds it in the public
 * catalogue; every later step (suspension, reinstatement, the asset's cancellation) shows in the catalogue at once,
 * and the ledger verifies after the whole flow.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let buyer: Party;

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
}, 120_000);
afterAll(() => t.close());

const search = async (q: string): Promise<string[]> => {
  const reply = await world.anonymous.get(`/v1/catalog?q=${encodeURIComponent(q)}&limit=50`);
  expect(reply.status).toBe(200);
  return (reply.body.items as { id: string }[]).map((item) => item.id);
};

describe('from registration to the catalogue', () => {
  it('finds a published listing by a Chinese word inside a compound and an English word, and nothing unpublished', async () => {
    const asset = await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        ...assetVariants.notOpen,
        title: '连锁药店会员消费（待处理订单与复购）',
      }),
    );
    const body = listingBody([asset.id], {
      title: '药店会员复购率计算服务',
      description: '在密文上统计待处理订单与会员复购，pharmacy loyalty analytics，原始数据不出域。',
      recipes: [{ recipe: 'mean', columns: ['monthly_spend'] }],
    });
    const draft = await merchant.client.post('/v1/listings', { ...body, title: '药店会员草稿（未发布）' });
    expect(draft.status).toBe(201);
    const id = await publishedListing(merchant.client, operator, body);

    expect(await search('处理')).toContain(id); // inside 待处理
    expect(await search('复购')).toContain(id);
    expect(await search('pharmacy')).toContain(id);
    expect(await search('草稿')).toEqual([]); // the draft is not in the catalogue
    expect((await buyer.client.get(`/v1/listings/${draft.body.id}`)).status).toBe(404);

    const page = await world.anonymous.get(`/v1/catalog?q=${encodeURIComponent('复购')}`);
    const item = (page.body.items as { id: string; highlights: { title: string } }[]).find(
      (i) => i.id === id,
    )!;
    expect(item.highlights.title).toContain('<mark>');
    expect(page.body.facets.pricingMode).toEqual(expect.arrayContaining([{ value: 'market', count: 1 }]));
  });

  it('takes a suspended listing out at once, puts it back on reinstatement, and out for good when its asset is cancelled', async () => {
    const asset = await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, { ...assetVariants.open, title: '城市路口拥堵指数（小时）' }),
    );
    const id = await publishedListing(
      merchant.client,
      operator,
      listingBody([asset.id], { title: '拥堵指数数据服务', description: 'hourly congestion index' }),
    );
    expect(await search('拥堵')).toEqual([id]);

    const suspended = await regulator.post(`/v1/listings/${id}/suspend`, { reason: '投诉核查中（DS 58）' });
    expect(suspended).toMatchObject({ status: 200, body: { status: 'suspended' } });
    expect(await search('拥堵')).toEqual([]);
    expect((await buyer.client.get(`/v1/listings/${id}`)).status).toBe(404);

    expect((await regulator.post(`/v1/listings/${id}/reinstate`, { reason: '核查完毕' })).status).toBe(200);
    expect(await search('拥堵')).toEqual([id]);

    const cancelled = await operator.post(`/v1/assets/${asset.id}/cancel`, { reason: '数据来源授权到期' });
    expect(cancelled.status).toBe(200);
    expect(await search('拥堵')).toEqual([]);
    expect((await merchant.client.get(`/v1/listings/${id}`)).body).toMatchObject({ status: 'suspended' });
    // The certificate of a cancelled asset says so.
    const certificate = await merchant.client.get(`/v1/assets/${asset.id}/certificate`);
    const verdict = await world.anonymous.post('/v1/certificates/verify', certificate.body);
    expect(verdict.body).toMatchObject({ status: 'cancelled' });
  });

  it('leaves a ledger that verifies after the whole flow', async () => {
    const verified = await regulator.get('/v1/ledger/verify');
    expect(verified).toMatchObject({ status: 200, body: { ok: true } });
  });
});
