import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import canonicalize from 'canonicalize';
import pg from 'pg';
import { loadConfig } from '@app/core';
import { openDatabase } from '@app/database';
import { totpAt } from '@app/identity';
import type { HttpClient, Reply } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { countRows, ledgerOf, sqlOf } from './support/db-probe.js';
import { responseSchema, schemaProblems, type OpenApiDocument } from './support/openapi-conformance.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, newCreditCode, type Party } from './support/world.js';

/**
 * Risk assessment reports over HTTP on SQLite and (with DATABASE_URL) PostgreSQL: the draft prefilled from the DS 22
 * catalogue, filing and reading (DS 60), the third-party assessor's credit code and the core-data advice (DS 65),
 * corrections that supersede once, who is overdue (DS 63) on the test clock, who may see what, and a report three
 * years old still readable and undeletable (DS 60).
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: Party & { totpSecret: string };
let holder: Party;
let coreHolder: Party;
let buyer: Party;
let openApi: OpenApiDocument;
let importantAsset: { id: string; registeredAt: string };
const DAY = 86_400_000;
const IMPORTANT = { classification: { affectedObject: 'public-interest', harm: 'serious' } };
const CORE = { classification: { affectedObject: 'national-security', harm: 'serious' } };

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = await world.overseer('regulator');
  holder = await world.party(['merchant'], operator);
  coreHolder = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  const { id } = await registerAsset(holder.client, operator, assetBody(holder.organisationId, IMPORTANT));
  importantAsset = { id, registeredAt: (await holder.client.get(`/v1/assets/${id}`)).body.registeredAt };
  await registerAsset(coreHolder.client, operator, assetBody(coreHolder.organisationId, CORE));
  openApi = (await world.anonymous.get('/openapi.json')).body;
});
afterAll(() => t.close());

/** Moves the test clock, then signs everyone in again: sessions and the operator's token expire on that clock. */
async function advance(ms: number): Promise<void> {
  t.clock.advance(ms);
  operator = await world.operatorProgramme();
  regulator.client = await world.login(regulator.username, totpAt(regulator.totpSecret, t.clock.now()));
  for (const party of [holder, coreHolder, buyer]) party.client = await world.login(party.username);
}

/** Every 2xx answer has exactly its documented shape. */
function conforms(reply: Reply, method: string, template: string): Reply {
  if (reply.status >= 200 && reply.status < 300)
    expect(
      schemaProblems(openApi, responseSchema(openApi, method, template, reply.status), reply.body),
    ).toEqual([]);
  return reply;
}

const thisYear = () => t.clock.now().getUTCFullYear();

/** A self-assessment body for `party`, starting from its draft's lines. */
async function reportBody(party: Party, overrides: Record<string, unknown> = {}) {
  const draft = await party.client.get('/v1/risk-reports/draft');
  return {
    periodYear: thisYear(),
    assessorKind: 'self',
    importantData: draft.body.importantData,
    processingActivities: '采集、存储、加工、在交易所以密文计算方式提供',
    risks: [
      { risk: '备份未加密', measure: '备份以 SM4 加密，密钥分级保管', effectiveness: 'effective' },
      { risk: '运维账号共用', measure: '按人开户并启用双因素认证', effectiveness: 'partly-effective' },
    ],
    conclusion: '风险总体可控，两项整改已完成一项。',
    ...overrides,
  };
}

async function file(party: Party, overrides: Record<string, unknown> = {}): Promise<Reply> {
  return conforms(
    await party.client.post('/v1/risk-reports', await reportBody(party, overrides)),
    'post',
    '/v1/risk-reports',
  );
}

const sha256OfContent = (r: Record<string, any>): string =>
  createHash('sha256')
    .update(
      canonicalize({
        organisationId: r.organisationId,
        periodYear: r.periodYear,
        assessorKind: r.assessorKind,
        assessorName: r.assessorName,
        assessorCreditCode: r.assessorCreditCode,
        importantData: r.importantData,
        processingActivities: r.processingActivities,
        risks: r.risks,
        conclusion: r.conclusion,
        supersedesId: r.supersedesId,
      })!,
    )
    .digest('hex');

describe('the draft (DS 22 catalogue → DS 60 lines)', () => {
  it('prefills one line per important asset, this year and the DS 63 deadline', async () => {
    const draft = conforms(
      await holder.client.get('/v1/risk-reports/draft'),
      'get',
      '/v1/risk-reports/draft',
    );
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({
      organisationId: holder.organisationId,
      periodYear: thisYear(),
      importantData: [
        {
          assetId: importantAsset.id,
          category: 'transport: 海东市路口车流量（5 分钟粒度）',
          level: 'important',
          amount: '1200000 rows',
        },
      ],
      dueAt: new Date(Date.parse(importantAsset.registeredAt) + 365 * DAY).toISOString(),
      processingActivities: '',
      risks: [],
      conclusion: '',
      note: null,
      advice: null,
    });
  });

  it('tells an organisation without important data that DS 63 does not oblige it', async () => {
    const draft = conforms(await buyer.client.get('/v1/risk-reports/draft'), 'get', '/v1/risk-reports/draft');
    expect(draft.body).toMatchObject({ importantData: [], dueAt: null });
    expect(draft.body.note).toMatch(/DS 63/);
  });

  it('advises a core-data holder that DS 65 prefers a third-party assessor', async () => {
    const draft = await coreHolder.client.get('/v1/risk-reports/draft');
    expect(draft.body.importantData).toEqual([expect.objectContaining({ level: 'core' })]);
    expect(draft.body.advice).toMatch(/DS 65/);
  });
});

describe('filing and reading', () => {
  it('files a report with its content hash, three-year retention and ledger entry, and reads it back', async () => {
    const filed = await file(holder);
    expect(filed.status).toBe(201);
    const report = filed.body;
    expect(report).toMatchObject({
      organisationId: holder.organisationId,
      filedByAccountId: holder.accountId,
      assessorKind: 'self',
      assessorName: null,
      supersedesId: null,
      advice: null,
    });
    expect(report.contentSha256).toBe(sha256OfContent(report));
    const filedAt = new Date(report.filedAt);
    expect(report.retainUntil).toBe(
      new Date(
        Date.UTC(
          filedAt.getUTCFullYear() + 3,
          filedAt.getUTCMonth(),
          filedAt.getUTCDate(),
          filedAt.getUTCHours(),
          filedAt.getUTCMinutes(),
          filedAt.getUTCSeconds(),
          filedAt.getUTCMilliseconds(),
        ),
      ).toISOString(),
    );
    const entries = await ledgerOf(t, report.id);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'riskReport.filed',
        actor: { accountId: holder.accountId, organisationId: holder.organisationId },
        payload: {
          periodYear: thisYear(),
          assessorKind: 'self',
          contentSha256: report.contentSha256,
          importantDataLines: 1,
          risks: 2,
          supersedesId: null,
        },
      }),
    ]);
    expect((await ledgerOf(t, holder.organisationId)).map((e) => e.action)).toContain('riskReport.filed');

    const stored: Record<string, unknown> = { ...report };
    delete stored.advice;
    for (const reader of [holder.client, regulator.client, operator]) {
      const read = conforms(
        await reader.get(`/v1/risk-reports/${report.id}`),
        'get',
        '/v1/risk-reports/{id}',
      );
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ ...stored, supersededBy: null });
    }
    const own = conforms(await holder.client.get('/v1/risk-reports'), 'get', '/v1/risk-reports');
    expect(own.body.items.map((r: { id: string }) => r.id)).toContain(report.id);
    const filtered = await regulator.client.get(
      `/v1/risk-reports?organisationId=${holder.organisationId}&year=${thisYear()}`,
    );
    expect(filtered.body.items.length).toBeGreaterThan(0);
    expect(
      filtered.body.items.every(
        (r: { organisationId: string }) => r.organisationId === holder.organisationId,
      ),
    ).toBe(true);
    const otherYear = await regulator.client.get(
      `/v1/risk-reports?organisationId=${holder.organisationId}&year=${thisYear() - 5}`,
    );
    expect(otherYear.body).toEqual({ items: [], next: null });
  });

  it('files a third-party assessment with a valid credit code and takes last year', async () => {
    const code = newCreditCode();
    const filed = await file(holder, {
      periodYear: thisYear() - 1,
      assessorKind: 'third-party',
      assessorName: '海东数据安全评估中心',
      assessorCreditCode: code,
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ assessorKind: 'third-party', assessorCreditCode: code, advice: null });
  });

  it('pages newest first', async () => {
    // The test clock stands still between moves: reports filed at one instant are ordered by id.
    t.clock.advance(1000);
    const first = await file(holder);
    t.clock.advance(1000);
    const second = await file(holder);
    const page = await holder.client.get('/v1/risk-reports?limit=1');
    expect(page.body.items.map((r: { id: string }) => r.id)).toEqual([second.body.id]);
    const next = await holder.client.get(`/v1/risk-reports?limit=1&after=${page.body.next}`);
    expect(next.body.items.map((r: { id: string }) => r.id)).toEqual([first.body.id]);
  });

  const bad = (code: string): string => code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
  it.each([
    [
      'a third party without a credit code',
      { assessorKind: 'third-party', assessorName: '某评估机构' },
      400,
      /assessorCreditCode/,
    ],
    [
      'a third party whose credit code fails the GB 32100 check',
      { assessorKind: 'third-party', assessorName: '某评估机构', assessorCreditCode: bad(newCreditCode()) },
      400,
      /GB 32100/,
    ],
    [
      'a third party without a name',
      { assessorKind: 'third-party', assessorCreditCode: newCreditCode() },
      400,
      /assessorName/,
    ],
    ['a self-assessment naming an assessor', { assessorName: '某评估机构' }, 400, /self-assessment/],
    ['a year two years back', { periodYear: new Date().getUTCFullYear() - 2 }, 400, /periodYear/],
    ['no risks', { risks: [] }, 400, /risks/],
    ['blank processing activities', { processingActivities: '   ' }, 400, /processingActivities/],
    [
      'a line naming an asset outside the catalogue',
      {
        importantData: [
          { assetId: '00000000-0000-4000-8000-000000000000', category: 'x', level: 'important', amount: '1' },
        ],
      },
      400,
      /catalogue/,
    ],
    [
      'an unknown superseded report',
      { supersedesId: '00000000-0000-4000-8000-000000000000' },
      404,
      /not found/,
    ],
  ])('refuses %s, changing nothing', async (_what, overrides, status, message) => {
    const before = await countRows(t, 'risk_reports');
    const refused = await file(holder, overrides);
    expect(refused.status).toBe(status);
    expect(refused.body.message).toMatch(message);
    expect(await countRows(t, 'risk_reports')).toBe(before);
  });

  it('accepts a core-data holder’s self-assessment with DS 65 advice, and a third party’s without', async () => {
    const self = await file(coreHolder);
    expect(self.status).toBe(201);
    expect(self.body.advice).toMatch(/DS 65/);
    const thirdParty = await file(coreHolder, {
      assessorKind: 'third-party',
      assessorName: '海东数据安全评估中心',
      assessorCreditCode: newCreditCode(),
    });
    expect(thirdParty.status).toBe(201);
    expect(thirdParty.body.advice).toBeNull();
  });
});

describe('corrections', () => {
  it('supersedes a report once; a second correction of it is 409; another’s report is 404', async () => {
    const original = (await file(holder)).body;
    const correction = await file(holder, {
      supersedesId: original.id,
      conclusion: '更正：三项整改均已完成。',
    });
    expect(correction.status).toBe(201);
    expect(correction.body.supersedesId).toBe(original.id);
    expect((await ledgerOf(t, correction.body.id))[0].payload.supersedesId).toBe(original.id);
    const read = await holder.client.get(`/v1/risk-reports/${original.id}`);
    expect(read.body.supersededBy).toBe(correction.body.id);

    const before = await countRows(t, 'risk_reports');
    const again = await file(holder, { supersedesId: original.id });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('risk_report_superseded');
    // The latest report can still be corrected.
    expect((await file(holder, { supersedesId: correction.body.id })).status).toBe(201);

    const foreign = await file(coreHolder, { supersedesId: original.id });
    expect(foreign.status).toBe(404);
    expect(await countRows(t, 'risk_reports')).toBe(before + 1);
  });

  if (process.env.DATABASE_URL?.startsWith('postgres')) {
    it('lets one of four parallel corrections of a report win on PostgreSQL', async () => {
      const original = (await file(holder)).body;
      const body = await reportBody(holder, { supersedesId: original.id });
      const replies = await Promise.all(
        Array.from({ length: 4 }, () => holder.client.post('/v1/risk-reports', body)),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      const successors = await sqlOf(t)<{ id: string }>(
        'select "id" from "risk_reports" where "supersedes_id" = ?',
        [original.id],
      );
      expect(successors).toHaveLength(1);
    });
  }
});

describe('who sees what', () => {
  it('tells a buyer another’s report does not exist and keeps it out of the buyer’s list', async () => {
    const report = (await file(holder)).body;
    const read = await buyer.client.get(`/v1/risk-reports/${report.id}`);
    expect(read.status).toBe(404);
    const filtered = await buyer.client.get(`/v1/risk-reports?organisationId=${holder.organisationId}`);
    expect(filtered.body).toEqual({ items: [], next: null });
  });

  it('shows the overdue list to regulators and the operator only', async () => {
    expect((await buyer.client.get('/v1/risk-reports/overdue')).status).toBe(403);
    expect((await holder.client.get('/v1/risk-reports/overdue')).status).toBe(403);
    expect((await regulator.client.get('/v1/risk-reports/overdue')).status).toBe(200);
    expect((await operator.get('/v1/risk-reports/overdue')).status).toBe(200);
    expect((await regulator.client.post('/v1/risk-reports', await reportBody(holder))).status).toBe(403);
  });
});

describe('on the test clock', () => {
  const overdueIds = async (): Promise<Reply> =>
    conforms(await regulator.client.get('/v1/risk-reports/overdue'), 'get', '/v1/risk-reports/overdue');

  it('lists a holder that never filed once a year has passed since its asset’s registration, until it files', async () => {
    const late = await world.party(['merchant'], operator);
    const { id } = await registerAsset(late.client, operator, assetBody(late.organisationId, IMPORTANT));
    const registeredAt = Date.parse((await late.client.get(`/v1/assets/${id}`)).body.registeredAt);
    const listed = async () =>
      (await overdueIds()).body.items.find(
        (h: { organisationId: string }) => h.organisationId === late.organisationId,
      );
    expect(await listed()).toBeUndefined();

    await advance(365 * DAY + 1000);
    late.client = await world.login(late.username);
    expect(await listed()).toEqual({
      organisationId: late.organisationId,
      organisationName: `Party ${late.username}`,
      lastFiledAt: null,
      dueAt: new Date(registeredAt + 365 * DAY).toISOString(),
      importantAssets: 1,
    });
    // A holder without important data is never listed.
    const ids = (await overdueIds()).body.items.map((h: { organisationId: string }) => h.organisationId);
    expect(ids).not.toContain(buyer.organisationId);

    const filed = await file(late);
    expect(filed.status).toBe(201);
    expect(await listed()).toBeUndefined();
    const draft = await late.client.get('/v1/risk-reports/draft');
    expect(draft.body.dueAt).toBe(new Date(Date.parse(filed.body.filedAt) + 365 * DAY).toISOString());

    // A year after that report it is due again, counted from the report.
    await advance(365 * DAY + 1000);
    late.client = await world.login(late.username);
    expect(await listed()).toMatchObject({
      lastFiledAt: filed.body.filedAt,
      dueAt: new Date(Date.parse(filed.body.filedAt) + 365 * DAY).toISOString(),
    });
  });

  it('keeps a report three years and a day old readable, and refuses SQL that deletes or rewrites it', async () => {
    const report = (await file(holder)).body;
    await advance(3 * 366 * DAY + DAY);
    expect(Date.parse(report.retainUntil)).toBeLessThan(t.clock.now().getTime());
    for (const reader of [holder.client, regulator.client]) {
      const read = await reader.get(`/v1/risk-reports/${report.id}`);
      expect(read.status).toBe(200);
      expect(read.body.contentSha256).toBe(report.contentSha256);
      expect(read.body.retainUntil).toBe(report.retainUntil);
    }
    const sql = sqlOf(t);
    await expect(sql('delete from "risk_reports" where "id" = ?', [report.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      sql('update "risk_reports" set "conclusion" = ? where "id" = ?', ['rewritten', report.id]),
    ).rejects.toThrow(/append-only/);
    await expect(sql('delete from "risk_reports"')).rejects.toThrow(/append-only/);
    const [row] = await sql<{ conclusion: string }>(
      'select "conclusion" from "risk_reports" where "id" = ?',
      [report.id],
    );
    expect(row.conclusion).toBe(report.conclusion);
    // No route deletes or changes a report.
    const routes = Object.entries(openApi.paths).filter(([path]) => path.startsWith('/v1/risk-reports'));
    const methods = routes.flatMap(([, ops]) => Object.keys(ops as object));
    expect(methods.filter((m) => !['get', 'post'].includes(m))).toEqual([]);
    expect(routes.filter(([, ops]) => 'post' in (ops as object)).map(([path]) => path)).toEqual([
      '/v1/risk-reports',
    ]);
  });
});

const serverUrl = process.env.DATABASE_URL;
if (serverUrl?.startsWith('postgres')) {
  describe('risk reports on PostgreSQL with the API role separate from the owner (docs/operations.md)', () => {
    let database: TestDatabase;
    let orm: MikroORM;
    let admin: pg.Client;
    const suffix = randomBytes(4).toString('hex');
    const ownerRole = `dx_owner_${suffix}`;
    const appRole = `dx_app_${suffix}`;
    const password = randomBytes(12).toString('hex');
    const reportId = '00000000-0000-4000-8000-0000000000aa';

    const urlFor = (role: string): string => {
      const url = new URL(database.env.DATABASE_URL);
      url.username = role;
      url.password = password;
      return url.toString();
    };
    const run = (sql: string, params: unknown[] = []) =>
      (orm.em as EntityManager).getConnection().execute(sql, params, 'run');

    beforeAll(async () => {
      database = await createTestDatabase();
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      const name = new URL(database.env.DATABASE_URL).pathname.slice(1);
      for (const role of [ownerRole, appRole])
        await admin.query(`create role "${role}" login nosuperuser password '${password}'`);
      await admin.query(`alter database "${name}" owner to "${ownerRole}"`);
      orm = await openDatabase(
        loadConfig({
          NODE_ENV: 'test',
          DATA_DIR: database.dataDir,
          DATABASE_URL: urlFor(appRole),
          DATABASE_MIGRATION_URL: urlFor(ownerRole),
        }),
        [],
      );
      const now = new Date();
      await run(
        'insert into "organisations" ("id", "kind", "name", "identifier_display", "identifier_digest", "roles", ' +
          '"status", "created_at", "updated_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['o1', 'organisation', 'Holder', 'x', 'digest', '["merchant"]', 'admitted', now, now],
      );
      await run(
        'insert into "risk_reports" ("id", "organisation_id", "filed_by_account_id", "period_year", ' +
          '"assessor_kind", "important_data", "processing_activities", "risks", "conclusion", "content_sha256", ' +
          '"filed_at", "retain_until") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [reportId, 'o1', 'a1', 2026, 'self', '[]', 'p', '[]', 'c', 'f'.repeat(64), now, now],
      );
    });

    afterAll(async () => {
      await orm.close();
      await database.drop();
      for (const role of [appRole, ownerRole]) await admin.query(`drop role if exists "${role}"`);
      await admin.end();
    });

    it.each([
      ['UPDATE', 'update "risk_reports" set "conclusion" = \'rewritten\''],
      ['DELETE', 'delete from "risk_reports"'],
      ['TRUNCATE', 'truncate "risk_reports" cascade'],
      ['trigger switching', 'alter table "risk_reports" disable trigger all'],
    ])('refuses the API role %s (it holds select and insert only)', async (_what, sql) => {
      await expect(run(sql)).rejects.toMatchObject({ code: '42501' });
      const rows = await (orm.em as EntityManager)
        .getConnection()
        .execute<{ conclusion: string }[]>('select "conclusion" from "risk_reports"');
      expect(rows).toEqual([{ conclusion: 'c' }]);
    });

    it('refuses even the owner, replica mode included', async () => {
      const owner = new pg.Client({ connectionString: urlFor(ownerRole) });
      await owner.connect();
      try {
        for (const sql of [
          'update "risk_reports" set "conclusion" = \'x\'',
          'delete from "risk_reports"',
          'truncate "risk_reports" cascade',
        ])
          await expect(owner.query(sql)).rejects.toThrow(/append-only/);
      } finally {
        await owner.end();
      }
      const superuser = new pg.Client({ connectionString: database.env.DATABASE_URL });
      await superuser.connect();
      try {
        await superuser.query('set session_replication_role = replica');
        await expect(superuser.query('delete from "risk_reports"')).rejects.toThrow(/append-only/);
      } finally {
        await superuser.end();
      }
    });
  });
}
