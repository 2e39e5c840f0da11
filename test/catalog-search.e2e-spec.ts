// The catalogue search over a generated fixture, on the database the run was given (SQLite, or PostgreSQL with
// DATABASE_URL). Every expected set of ids is computed here from the fixture with the tokeniser's own `matches`, so
// the same assertions on both databases mean both return the same listings.
import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { UnitOfWork } from '@app/database';
import { CatalogIndex, entryTokens, matches, parseQuery, type CatalogEntry } from '@app/catalog';
import { generateListings } from '../bench/catalog/listings.js';
import { acceptsGzip } from '../apps/api/src/catalog/catalog-search.controller.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HttpClient, type Reply } from './support/http-client.js';

let t: TestApp;
let http: HttpClient;
let index: CatalogIndex;
let uow: UnitOfWork;

/** Hand-made entries for the cases the generator does not make on purpose. */
function handMade(base: CatalogEntry): CatalogEntry[] {
  const entry = (id: number, patch: Partial<CatalogEntry>): CatalogEntry => ({
    ...base,
    listingId: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    publishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, id)),
    ...patch,
  });
  return [
    entry(1, { title: '鲲鹏算力调度数据', description: '算力平台的调度日志。' }),
    entry(2, { title: '算力平台调度日志', description: '包含鲲鹏集群的作业排队与调度数据。' }),
    entry(3, { title: '<b>数据</b> & "报价" 样例', description: '<script>alert(1)</script> 数据说明' }),
    entry(4, { title: '12345 市民热线', description: '工单待处理、处理中与已办结状态，按日更新。' }),
    entry(5, { title: 'Ｆｕｌｌ-width ＤＡＴＡ', description: 'Full-width letters in the title.' }),
  ];
}

let fixture: CatalogEntry[];
let live: Map<string, CatalogEntry>;

const tokensOf = (e: CatalogEntry) => {
  const t = entryTokens(e);
  return new Set([...t.title, ...t.body, ...t.meta]);
};

interface Filters {
  industry?: string;
  level?: string;
  pricingMode?: string;
  billingUnit?: string;
  delivery?: string;
  minPriceFen?: bigint;
  maxPriceFen?: bigint;
}

const passes = (e: CatalogEntry, f: Filters, except?: keyof Filters) =>
  (except === 'industry' || f.industry === undefined || e.industry === f.industry) &&
  (except === 'level' || f.level === undefined || e.level === f.level) &&
  (except === 'pricingMode' || f.pricingMode === undefined || e.pricingMode === f.pricingMode) &&
  (except === 'billingUnit' ||
    f.billingUnit === undefined ||
    e.billingUnits.includes(f.billingUnit as CatalogEntry['billingUnits'][number])) &&
  (except === 'delivery' || f.delivery === undefined || e.delivery === f.delivery) &&
  (except === 'minPriceFen' ||
    ((f.minPriceFen === undefined || e.priceFen >= f.minPriceFen) &&
      (f.maxPriceFen === undefined || e.priceFen <= f.maxPriceFen)));

function expected(q: string, f: Filters = {}): CatalogEntry[] {
  const query = parseQuery(q);
  return [...live.values()].filter((e) => matches(tokensOf(e), query) && passes(e, f));
}

function queryString(q: string, f: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const [k, v] of Object.entries(f)) if (v !== undefined) params.set(k, String(v));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** Every page of a search, following `next`. */
async function allPages(q: string, f: Filters = {}, limit = 50) {
  const ids: string[] = [];
  const pages: any[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const reply: Reply = await http.get(
      `/v1/catalog?${queryString(q, f, { limit: String(limit), ...(after ? { after } : {}) })}`,
    );
    expect([reply.status, reply.body?.message]).toEqual([200, undefined]);
    pages.push(reply.body);
    ids.push(...reply.body.items.map((i: { id: string }) => i.id));
    after = reply.body.next;
    if (after === null) break;
  }
  return { ids, pages };
}

async function publish(...entries: CatalogEntry[]) {
  await uow.run(async (em) => {
    for (const e of entries) await index.publish(em, e);
  });
  for (const e of entries) live.set(e.listingId, e);
}

async function remove(id: string) {
  await uow.run((em) => index.remove(em, id));
  live.delete(id);
}

beforeAll(async () => {
  t = await startTestApp();
  http = new HttpClient(t.baseUrl);
  index = t.app.get(CatalogIndex);
  uow = t.app.get(UnitOfWork);
  const generated = generateListings(400, 99);
  fixture = [...generated, ...handMade(generated[0])];
  live = new Map();
  await publish(...fixture);
});
afterAll(() => t.close());

const QUERIES = [
  '数据', // the common term: most listings
  '交通', // two-character words
  '医保',
  '气象',
  '处理', // inside 待处理 and 脱敏处理
  '待处理',
  '交通数据', // cut into 交通 + 数据, not necessarily adjacent
  '气象观测',
  '北京 医保',
  '电', // one character
  '鲲鹏',
  'traffic',
  'Traffic Flow',
  'traf', // typed prefix
  'shanghai 数据',
  'full-width data',
  'transport', // the industry, through the merchant/industry field
  'zzzqqq', // nothing
  '',
];

describe('catalogue search', () => {
  it.each(QUERIES)('finds exactly the listings the query matches: %p', async (q) => {
    const want = expected(q);
    const { ids, pages } = await allPages(q);
    expect(new Set(ids).size).toBe(ids.length); // no listing twice across pages
    expect([...ids].sort()).toEqual(want.map((e) => e.listingId).sort());
    expect(pages[0].total).toBe(want.length);
    if (q === '数据') expect(want.length).toBeGreaterThan(live.size / 2);
    if (q !== 'zzzqqq') expect(want.length).toBeGreaterThan(0);
  });

  it('lists the newest first when there is no query', async () => {
    const { ids } = await allPages('', {}, 100);
    const newest = [...live.values()].sort(
      (a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || (a.listingId < b.listingId ? 1 : -1),
    );
    expect(ids.slice(0, 20)).toEqual(newest.slice(0, 20).map((e) => e.listingId));
  });

  it('ranks a match in the title above a match in the description', async () => {
    const { ids } = await allPages('鲲鹏');
    expect(ids).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
  });

  it('gives the same order whatever the page size', async () => {
    const small = await allPages('交通', {}, 7);
    const large = await allPages('交通', {}, 100);
    expect(small.ids).toEqual(large.ids);
    expect(small.pages.length).toBe(Math.ceil(large.ids.length / 7));
  });

  it('filters by industry, level, pricing mode, billing unit, delivery and price', async () => {
    const cases: [string, Filters][] = [
      ['数据', { industry: 'transport' }],
      ['数据', { level: 'important', delivery: 'compute' }],
      [
        '',
        {
          pricingMode: 'market',
          billingUnit: 'subscription',
          minPriceFen: 100_000n,
          maxPriceFen: 5_000_000n,
        },
      ],
      ['交通', { pricingMode: 'conditional-free' }],
      ['data', { delivery: 'file', billingUnit: 'per-computation' }],
      ['数据', { maxPriceFen: 0n }],
    ];
    for (const [q, f] of cases) {
      const want = expected(q, f);
      expect([q, f, want.length > 0]).toEqual([q, f, true]);
      const { ids } = await allPages(q, f, 100);
      expect([q, f, [...ids].sort()]).toEqual([q, f, want.map((e) => e.listingId).sort()]);
    }
  });

  it('counts facets over the matches with every other filter applied', async () => {
    const q = '数据';
    const f: Filters = { industry: 'healthcare', billingUnit: 'one-off', minPriceFen: 1n };
    const reply = await http.get(`/v1/catalog?${queryString(q, f)}`);
    expect(reply.status).toBe(200);
    const matched = [...live.values()].filter((e) => matches(tokensOf(e), parseQuery(q)));
    const count = (except: keyof Filters, test: (e: CatalogEntry) => boolean) =>
      matched.filter((e) => passes(e, f, except) && test(e)).length;
    const facets = reply.body.facets;
    const industries = [...new Set(matched.map((e) => e.industry))]
      .map((value) => ({ value, count: count('industry', (e) => e.industry === value) }))
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    expect(facets.industry).toEqual(industries);
    expect(facets.level).toEqual(
      ['general', 'important'].map((value) => ({ value, count: count('level', (e) => e.level === value) })),
    );
    expect(facets.pricingMode).toEqual(
      ['conditional-free', 'guided', 'market'].map((value) => ({
        value,
        count: count('pricingMode', (e) => e.pricingMode === value),
      })),
    );
    expect(facets.billingUnit).toEqual(
      ['one-off', 'subscription', 'per-computation'].map((value) => ({
        value,
        count: count('billingUnit', (e) => e.billingUnits.includes(value as never)),
      })),
    );
    expect(facets.delivery).toEqual(
      ['compute', 'file'].map((value) => ({ value, count: count('delivery', (e) => e.delivery === value) })),
    );
    for (const range of facets.price) {
      const min = BigInt(range.minFen);
      const max = range.maxFen === null ? null : BigInt(range.maxFen);
      expect([range.range, range.count]).toEqual([
        range.range,
        count('minPriceFen', (e) => e.priceFen >= min && (max === null || e.priceFen <= max)),
      ]);
    }
    expect(facets.price.reduce((s: number, r: { count: number }) => s + r.count, 0)).toBe(
      matched.filter((e) => passes(e, f, 'minPriceFen')).length,
    );
    expect(reply.body.total).toBe(matched.filter((e) => passes(e, f)).length);
  });

  it('shows each item with its pricing in fen as text, and highlights the matched words, escaped', async () => {
    const reply = await http.get(`/v1/catalog?q=${encodeURIComponent('处理')}&limit=100`);
    expect(reply.status).toBe(200);
    const hotline = reply.body.items.find((i: any) => i.id === '00000000-0000-4000-8000-000000000004');
    expect(hotline.highlights.description).toBe(
      '工单待<mark>处理</mark>、<mark>处理</mark>中与已办结状态，按日更新。',
    );
    for (const item of reply.body.items) {
      const entry = live.get(item.id)!;
      expect(item.pricing).toEqual({
        mode: entry.pricingMode,
        priceFen: entry.priceFen.toString(),
        category: entry.pricingCategory,
      });
      expect(item.merchant).toEqual({ id: entry.organisationId, name: entry.merchantName });
      expect(item.highlights.title + item.highlights.description).toContain('<mark>处理</mark>');
    }
    const markup = await http.get(`/v1/catalog?q=${encodeURIComponent('数据 样例')}`);
    const sample = markup.body.items.find((i: any) => i.id === '00000000-0000-4000-8000-000000000003');
    expect(sample.highlights.title).toBe(
      '&lt;b&gt;<mark>数据</mark>&lt;/b&gt; &amp; &quot;报价&quot; <mark>样例</mark>',
    );
    expect(sample.highlights.description).toBe('&lt;script&gt;alert(1)&lt;/script&gt; <mark>数据</mark>说明');
  });

  it('answers exactly what its OpenAPI schema says, for a full page', async () => {
    const doc = (await http.get('/openapi.json')).body;
    const resolve = (schema: any): any =>
      schema.$ref
        ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]
        : schema.allOf?.length === 1
          ? { ...resolve(schema.allOf[0]), nullable: schema.nullable }
          : schema;
    const departures = (value: unknown, raw: any, at: string): string[] => {
      const schema = resolve(raw);
      if (value === null) return schema.nullable ? [] : [`${at}: null`];
      if (schema.type === 'array')
        return Array.isArray(value)
          ? value.flatMap((v, i) => departures(v, schema.items, `${at}[${i}]`))
          : [`${at}: not an array`];
      if (schema.properties) {
        if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
        const keys = Object.keys(value).sort();
        const named = Object.keys(schema.properties).sort();
        if (JSON.stringify(keys) !== JSON.stringify(named))
          return [`${at}: keys ${keys.join()} against ${named.join()}`];
        return named.flatMap((k) => departures((value as any)[k], schema.properties[k], `${at}.${k}`));
      }
      const type = schema.type === 'integer' ? 'number' : schema.type;
      if (typeof value !== type) return [`${at}: ${typeof value} is not ${schema.type}`];
      if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
      return [];
    };
    const schema = doc.paths['/v1/catalog'].get.responses['200'].content['application/json'].schema;
    const reply = await http.get(`/v1/catalog?q=${encodeURIComponent('数据')}&limit=100`);
    expect(reply.body.items.length).toBe(100);
    expect(departures(reply.body, schema, 'body')).toEqual([]);
  });

  it('sends the same answer gzipped to a client that accepts gzip, and as is to one that does not', async () => {
    const path = `${t.baseUrl}/v1/catalog?q=${encodeURIComponent('数据')}`;
    const plain = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) =>
      get(path, { headers: { 'accept-encoding': 'identity' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject),
    );
    const zipped = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) =>
      get(path, { headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject),
    );
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(
      JSON.parse(plain.body.toString('utf8')),
    );
    expect(['gzip', 'x-gzip;q=0.5', '*', 'br, *;q=0.1'].map(acceptsGzip)).toEqual([true, true, true, true]);
    expect([undefined, '', 'identity', 'br', 'gzip;q=0', '*, gzip;q=0'].map(acceptsGzip)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses bad parameters with a 400 that says what was wrong', async () => {
    for (const bad of [
      'level=core',
      'pricingMode=free',
      'billingUnit=monthly',
      'delivery=email',
      'limit=0',
      'limit=101',
      'minPriceFen=-1',
      'maxPriceFen=1.5',
      'minPriceFen=10&maxPriceFen=5',
      'after=not-a-cursor',
      `after=${Buffer.from('[1,2]').toString('base64url')}`,
      'sort=price',
      `q=${'数'.repeat(201)}`,
      `q=${encodeURIComponent(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))}`,
      'level=general&level=important',
    ]) {
      const reply = await http.get(`/v1/catalog?${bad}`);
      expect([bad, reply.status]).toEqual([bad, 400]);
      expect(typeof reply.body.message).toBe('string');
    }
  });

  it('shows a removal, a publication and a replacement at once, past its own cache', async () => {
    const before = await allPages('交通');
    expect(before.ids.length).toBeGreaterThan(2);
    const gone = before.ids[0];
    await remove(gone);
    const after = await allPages('交通');
    expect(after.ids).not.toContain(gone);
    expect(after.ids.length).toBe(before.ids.length - 1);

    const fresh: CatalogEntry = {
      ...live.get(before.ids[1])!,
      listingId: '00000000-0000-4000-8000-00000000ffff',
      title: '新发布的交通枢纽客流数据',
    };
    // Many searches at once, each started after the publication committed: every one sees it.
    expect((await http.get(`/v1/catalog?q=${encodeURIComponent('枢纽')}`)).body.items).toEqual([]); // now cached
    await publish(fresh);
    const together = await Promise.all(
      Array.from({ length: 20 }, () => http.get(`/v1/catalog?q=${encodeURIComponent('枢纽')}`)),
    );
    expect(together.map((r) => r.body.items.map((i: { id: string }) => i.id))).toEqual(
      Array.from({ length: 20 }, () => [fresh.listingId]),
    );
    expect((await allPages('交通')).ids).toContain(fresh.listingId);
    expect((await allPages('枢纽')).ids).toEqual([fresh.listingId]);

    // Published again with other terms: the old words no longer find it.
    await publish({ ...fresh, title: '港口吞吐量', description: '集装箱。' });
    expect((await allPages('枢纽')).ids).toEqual([]);
    expect((await allPages('港口 集装箱')).ids).toContain(fresh.listingId);
  });

  it('a rolled-back publication leaves the catalogue as it was', async () => {
    const entry: CatalogEntry = {
      ...fixture[1],
      listingId: '00000000-0000-4000-8000-00000000eeee',
      title: '回滚测试独角兽',
    };
    await expect(
      uow.run(async (em) => {
        await index.publish(em, entry);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect((await allPages('独角兽')).ids).toEqual([]);
  });

  it('moves the generation once per change under parallel publications, and keeps every one', async () => {
    const orm = t.app.get(MikroORM);
    const generation = async () =>
      Number(
        (
          await (orm.em.fork() as EntityManager)
            .getConnection()
            .execute<{ generation: string | number }[]>(
              'select "generation" from "catalog_state" where "id" = ?',
              [1],
            )
        )[0].generation,
      );
    const start = await generation();
    const extra = generateListings(12, 7).map((e) => ({ ...e, title: `${e.title} 并发发布` }));
    await Promise.all(extra.map((e) => publish(e)));
    expect(await generation()).toBe(start + extra.length);
    expect([...(await allPages('并发发布')).ids].sort()).toEqual(extra.map((e) => e.listingId).sort());
  });
});
