import { MikroORM } from '@mikro-orm/core';
import { AssetLifecycle, AssetReader } from '@app/assets';
import { UnitOfWork } from '@app/database';
import { verifyCertificate } from '@app/assets/core';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';

let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let other: Party;
let buyer: Party;
let signer: string;
const withdrawn: { assetId: string; reason: string }[] = [];

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  t.app.get(AssetLifecycle).onWithdrawn((_em, assetId, reason) => {
    withdrawn.push({ assetId, reason });
    return Promise.resolve();
  });
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  other = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  signer = (await world.anonymous.get('/v1/certificates/signing')).body.signerAddress;
});
afterAll(() => t.close());

const count = async (table: string): Promise<number> => {
  const rows: { n: number | string }[] = await t.app
    .get(MikroORM)
    .em.getConnection()
    .execute(`select count(*) as n from "${table}"`);
  return Number(rows[0].n);
};

/** Row counts of every table the assets work writes, and the ledger's size: a refusal changes none. */
const snapshot = async () => ({
  assets: await count('assets'),
  certificates: await count('asset_certificates'),
  requests: await count('asset_requests'),
  reviews: await count('asset_reviews'),
  valuations: await count('asset_valuations'),
  ledger: await count('ledger_entries'),
});

const rights = (entries: [string, string, number][]) =>
  entries.map(([right, organisationId, shareBasisPoints]) => ({ right, organisationId, shareBasisPoints }));

describe('registration', () => {
  it('drafts with the computed level and its justification, and the registrant sees it', async () => {
    const created = await merchant.client.post('/v1/assets', assetBody(merchant.organisationId));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      level: 'general',
      computedLevel: 'general',
      registrantId: merchant.organisationId,
      registrationNumber: null,
    });
    expect(created.body.levelJustification).toMatch(/^DS 21 表1: .*general/);
    expect((await merchant.client.get(`/v1/assets/${created.body.id}`)).body.title).toBe(created.body.title);
  });

  it('takes a stricter declared level than 表1 gives', async () => {
    const created = await merchant.client.post(
      '/v1/assets',
      assetBody(merchant.organisationId, { declaredLevel: 'important' }),
    );
    expect(created.body).toMatchObject({
      level: 'important',
      computedLevel: 'general',
      declaredLevel: 'important',
    });
  });

  it.each([
    [
      'a declared level below the computed one',
      'DS 21',
      () =>
        assetBody(merchant.organisationId, {
          classification: { affectedObject: 'public-interest', harm: 'serious' },
          declaredLevel: 'general',
        }),
    ],
    [
      'an open attribute looser than DE 31 allows (a personal-information column)',
      'DE 31',
      () => {
        const body = assetBody(merchant.organisationId, { openAttribute: 'conditional' });
        (body.columns as Record<string, unknown>[])[0].personalInformation = true;
        return body;
      },
    ],
    [
      'personal data declared open',
      'DE 31',
      () => assetBody(merchant.organisationId, { dataKind: 'personal', openAttribute: 'unconditional' }),
    ],
    [
      'a share attribute on enterprise data',
      'DE 27',
      () => assetBody(merchant.organisationId, { shareAttribute: 'conditional' }),
    ],
    [
      'public data without a share attribute',
      'DE 27',
      () => assetBody(merchant.organisationId, { dataKind: 'public' }),
    ],
    [
      'operation shares summing to 9999',
      'DE 35',
      () =>
        assetBody(merchant.organisationId, {
          rights: rights([
            ['holding', merchant.organisationId, 10_000],
            ['processing', merchant.organisationId, 10_000],
            ['operation', merchant.organisationId, 5_000],
            ['operation', other.organisationId, 4_999],
          ]),
        }),
    ],
    [
      'a right without a holder',
      'DE 35',
      () =>
        assetBody(merchant.organisationId, {
          rights: rights([
            ['holding', merchant.organisationId, 10_000],
            ['processing', merchant.organisationId, 10_000],
          ]),
        }),
    ],
    [
      'a fractional share',
      'DE 35',
      () =>
        assetBody(merchant.organisationId, {
          rights: rights([
            ['holding', merchant.organisationId, 10_000],
            ['processing', merchant.organisationId, 10_000],
            ['operation', merchant.organisationId, 5_000.5],
            ['operation', other.organisationId, 4_999.5],
          ]),
        }),
    ],
  ])('refuses %s with a 422 naming %s, and changes nothing', async (_what, article, body) => {
    const before = await snapshot();
    const reply = await merchant.client.post('/v1/assets', body());
    expect(reply.status).toBe(422);
    expect(reply.body.article).toBe(article);
    expect(reply.body.message).toMatch(new RegExp(`^${article}: `));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a rights holder that is not an admitted organisation, naming it (DE 35)', async () => {
    const pending = await world.party(['merchant']);
    const before = await snapshot();
    const reply = await merchant.client.post(
      '/v1/assets',
      assetBody(merchant.organisationId, {
        rights: rights([
          ['holding', merchant.organisationId, 10_000],
          ['processing', pending.organisationId, 10_000],
          ['operation', merchant.organisationId, 10_000],
        ]),
      }),
    );
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ article: 'DE 35', code: 'holder_not_admitted' });
    expect(reply.body.message).toContain(pending.organisationId);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses malformed input with a 400 naming the field', async () => {
    const before = await snapshot();
    const reply = await merchant.client.post(
      '/v1/assets',
      assetBody(merchant.organisationId, { classification: { affectedObject: 'moon', harm: 'general' } }),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain('classification.affectedObject');
    expect(await snapshot()).toEqual(before);
  });

  it('keeps a draft to its registrant: another merchant gets 404 for reading, editing and submitting it', async () => {
    const { body } = await merchant.client.post('/v1/assets', assetBody(merchant.organisationId));
    expect((await other.client.get(`/v1/assets/${body.id}`)).status).toBe(404);
    expect((await other.client.request('PATCH', `/v1/assets/${body.id}`, { title: 'mine' })).status).toBe(
      404,
    );
    expect((await other.client.post(`/v1/assets/${body.id}/submit`)).status).toBe(404);
    expect((await other.client.get(`/v1/assets/${body.id}/certificate`)).status).toBe(404);
    expect((await other.client.get('/v1/assets')).body.assets.map((a: { id: string }) => a.id)).not.toContain(
      body.id,
    );
    expect((await regulator.get(`/v1/assets/${body.id}`)).status).toBe(200);
    expect((await operator.get(`/v1/assets/${body.id}`)).status).toBe(200);
  });

  it('edits a draft and checks every rule again', async () => {
    const { body } = await merchant.client.post('/v1/assets', assetBody(merchant.organisationId));
    const edited = await merchant.client.request('PATCH', `/v1/assets/${body.id}`, {
      classification: { affectedObject: 'social-order', harm: 'serious' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.level).toBe('important');
    const refused = await merchant.client.request('PATCH', `/v1/assets/${body.id}`, {
      declaredLevel: 'general',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.article).toBe('DS 21');
    expect((await merchant.client.get(`/v1/assets/${body.id}`)).body.declaredLevel).toBeNull();
  });
});

describe('review', () => {
  const submitted = async (overrides: Record<string, unknown> = {}) => {
    const { body } = await merchant.client.post('/v1/assets', assetBody(merchant.organisationId, overrides));
    expect((await merchant.client.post(`/v1/assets/${body.id}/submit`)).status).toBe(200);
    return body.id as string;
  };

  it('refuses to approve important data without a security review (DS 26), changing nothing', async () => {
    const id = await submitted({ classification: { affectedObject: 'public-interest', harm: 'serious' } });
    const before = await snapshot();
    const refused = await operator.post(`/v1/assets/${id}/review`, { decision: 'approve' });
    expect(refused.status).toBe(422);
    expect(refused.body.article).toBe('DS 26');
    expect(await snapshot()).toEqual(before);
    expect((await operator.get(`/v1/assets/${id}`)).body).toMatchObject({
      status: 'submitted',
      registrationNumber: null,
    });
    // A failed security review does not count either.
    await operator.post(`/v1/assets/${id}/security-review`, { passed: false, findings: '未脱敏' });
    expect((await operator.post(`/v1/assets/${id}/review`, { decision: 'approve' })).status).toBe(422);
    await operator.post(`/v1/assets/${id}/security-review`, { passed: true, findings: '已整改' });
    const approved = await operator.post(`/v1/assets/${id}/review`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('registered');
  });

  it('registers core data (for the DS 22 catalogue) after a security review', async () => {
    const { level, registrationNumber } = await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        classification: { affectedObject: 'national-security', harm: 'serious' },
      }),
    );
    expect(level).toBe('core');
    expect(registrationNumber).toMatch(/^HDDE-\d{4}-\d{6}$/);
  });

  it('sends a registration back for changes, takes the edit and approves the resubmission', async () => {
    const id = await submitted();
    expect((await operator.post(`/v1/assets/${id}/review`, { decision: 'request-changes' })).status).toBe(
      400,
    );
    const back = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'request-changes',
      reason: '请补充数据来源说明',
    });
    expect(back.body).toMatchObject({ status: 'changes-requested', statusReason: '请补充数据来源说明' });
    await merchant.client.request('PATCH', `/v1/assets/${id}`, {
      source: { method: 'sensor', description: '地磁检测器，交警支队运维' },
    });
    await merchant.client.post(`/v1/assets/${id}/submit`);
    const approved = await operator.post(`/v1/assets/${id}/review`, { decision: 'approve', reason: 'ok' });
    expect(approved.body.status).toBe('registered');
    const history = await merchant.client.get(`/v1/assets/${id}/reviews`);
    expect(history.body.reviews.map((r: { decision: string }) => r.decision)).toEqual([
      'request-changes',
      'approve',
    ]);
  });

  it('rejects with a reason; a rejected asset cannot be approved', async () => {
    const id = await submitted();
    expect(
      (await operator.post(`/v1/assets/${id}/review`, { decision: 'reject', reason: '来源不明' })).body
        .status,
    ).toBe('rejected');
    const again = await operator.post(`/v1/assets/${id}/review`, { decision: 'approve' });
    expect(again.status).toBe(409);
  });

  it('keeps merchants from reviewing', async () => {
    const id = await submitted();
    expect((await merchant.client.post(`/v1/assets/${id}/review`, { decision: 'approve' })).status).toBe(403);
  });

  it('approves one of many parallel approvals and issues exactly one registration number', async () => {
    const id = await submitted();
    const numbersBefore = await count('asset_certificates');
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => operator.post(`/v1/assets/${id}/review`, { decision: 'approve' })),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(5);
    expect(await count('asset_certificates')).toBe(numbersBefore + 1);
  });

  it('gives parallel approvals of different assets distinct, consecutive registration numbers', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => submitted()));
    const replies = await Promise.all(
      ids.map((id) => operator.post(`/v1/assets/${id}/review`, { decision: 'approve' })),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const numbers = replies.map((r) => Number(r.body.registrationNumber.split('-')[2])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(5);
    expect(numbers[4] - numbers[0]).toBe(4);
  });
});

describe('certificate', () => {
  let id: string;
  let certificate: Record<string, any>;

  beforeAll(async () => {
    ({ id } = await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        rights: rights([
          ['holding', merchant.organisationId, 10_000],
          ['processing', merchant.organisationId, 6_000],
          ['processing', other.organisationId, 4_000],
          ['operation', other.organisationId, 10_000],
        ]),
      }),
    ));
    certificate = (await merchant.client.get(`/v1/assets/${id}/certificate`)).body;
  });

  it('states the recorded facts, the issuance entry on the ledger and the exchange’s signature', async () => {
    expect(certificate).toMatchObject({
      format: 'hdde-asset-certificate/1',
      assetId: id,
      version: 1,
      status: 'registered',
      signer,
    });
    expect(certificate.facts.registrant.id).toBe(merchant.organisationId);
    expect(certificate.facts.rights).toHaveLength(4);
    expect(certificate.facts.classification.justification).toContain('DS 21');
    expect(verifyCertificate(certificate, signer)).toMatchObject({ ok: true, signer });
    const entry = await regulator.get(
      `/v1/ledger/entries?start=${certificate.ledgerIndex}&end=${certificate.ledgerIndex}`,
    );
    expect(entry.body.entries[0]).toMatchObject({
      leafIndex: certificate.ledgerIndex,
      action: 'asset.certificateIssued',
    });
    expect(entry.body.entries[0].payload.factsHash).toBe(certificate.factsHash);
  });

  it('is readable by its rights holders, not by others', async () => {
    expect((await other.client.get(`/v1/assets/${id}/certificate`)).status).toBe(200);
    expect((await buyer.client.get(`/v1/assets/${id}/certificate`)).status).toBe(404);
  });

  it('verifies through the public route', async () => {
    expect((await world.anonymous.post('/v1/certificates/verify', certificate)).body).toMatchObject({
      valid: true,
      status: 'registered',
      signer,
      currentVersion: 1,
    });
  });

  it('does not verify with any field changed', async () => {
    const mutations: [string, (c: Record<string, any>) => void][] = [
      ['title', (c) => (c.facts.title += '!')],
      ['a share', (c) => (c.facts.rights[1].shareBasisPoints -= 1)],
      ['the level', (c) => (c.facts.classification.level = 'general-')],
      ['row count', (c) => (c.facts.rowCount += 1)],
      ['the version', (c) => (c.version += 1)],
      ['the status', (c) => (c.status = 'cancelled')],
      ['the ledger index', (c) => (c.ledgerIndex += 1)],
      [
        'issuedAt',
        (c) => (c.issuedAt = c.issuedAt.replace(/\d(?=Z$)/, (d: string) => String((+d + 1) % 10))),
      ],
      ['registration number', (c) => (c.registrationNumber = c.registrationNumber.replace(/\d$/, '9'))],
      [
        'the signature',
        (c) => (c.signature = c.signature.slice(0, -3) + (c.signature.endsWith('1b') ? '01c' : '01b')),
      ],
      ['an extra field', (c) => (c.note = 'x')],
      [
        'facts hash and facts together',
        (c) => {
          c.facts.title = 'forged';
          c.factsHash = '0x' + 'ab'.repeat(32);
        },
      ],
    ];
    for (const [what, mutate] of mutations) {
      const copy = structuredClone(certificate);
      mutate(copy);
      const reply = await world.anonymous.post('/v1/certificates/verify', copy);
      expect([what, reply.status, reply.body.valid]).toEqual([what, 200, false]);
    }
    expect((await world.anonymous.post('/v1/certificates/verify', [1, 2])).body.valid).toBe(false);
    const text = await world.anonymous.request('POST', '/v1/certificates/verify', '"text"', {
      'content-type': 'application/json',
    });
    expect([text.status, text.body.valid]).toEqual([200, false]);
  });
});

describe('after registration', () => {
  it('changes the facts through review: a new certificate version, the old one superseded', async () => {
    const { id } = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const v1 = (await merchant.client.get(`/v1/assets/${id}/certificate`)).body;
    expect(
      (await other.client.post(`/v1/assets/${id}/changes`, { changes: { title: 'x' }, reason: 'r' })).status,
    ).toBe(404);
    const refused = await merchant.client.post(`/v1/assets/${id}/changes`, {
      changes: {
        declaredLevel: 'general',
        classification: { affectedObject: 'public-interest', harm: 'serious' },
      },
      reason: 'reclassify',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.article).toBe('DS 21');
    const request = await merchant.client.post(`/v1/assets/${id}/changes`, {
      changes: {
        classification: { affectedObject: 'public-interest', harm: 'serious' },
        rowCount: 1_300_000,
      },
      reason: '数据量增加，重新定级',
    });
    expect(request.status).toBe(201);
    expect(request.body).toMatchObject({ kind: 'change', status: 'pending', baseVersion: 1 });
    // The new facts are important data: approval waits for their security review.
    const early = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'approve',
      requestId: request.body.id,
    });
    expect(early.body.article).toBe('DS 26');
    await operator.post(`/v1/assets/${id}/security-review`, {
      passed: true,
      findings: 'ok',
      requestId: request.body.id,
    });
    const approved = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'approve',
      requestId: request.body.id,
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'registered',
      version: 2,
      level: 'important',
      rowCount: 1_300_000,
    });
    expect(withdrawn.map((w) => w.assetId)).toContain(id);
    const v2 = (await merchant.client.get(`/v1/assets/${id}/certificate`)).body;
    expect(v2).toMatchObject({ version: 2, registrationNumber: v1.registrationNumber });
    expect((await world.anonymous.post('/v1/certificates/verify', v2)).body).toMatchObject({ valid: true });
    expect((await world.anonymous.post('/v1/certificates/verify', v1)).body).toMatchObject({
      valid: false,
      status: 'superseded',
    });
    const again = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'approve',
      requestId: request.body.id,
    });
    expect(again.status).toBe(409);
  });

  it('transfers a right through review, with the new holders on the next certificate', async () => {
    const { id } = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const bad = await merchant.client.post(`/v1/assets/${id}/transfers`, {
      rights: rights([
        ['holding', merchant.organisationId, 10_000],
        ['processing', merchant.organisationId, 10_000],
        ['operation', other.organisationId, 10_001],
      ]),
      reason: 'sale',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.article).toBe('DE 35');
    const request = await merchant.client.post(`/v1/assets/${id}/transfers`, {
      rights: rights([
        ['holding', merchant.organisationId, 10_000],
        ['processing', merchant.organisationId, 10_000],
        ['operation', other.organisationId, 10_000],
      ]),
      reason: '经营权转让',
    });
    expect(request.status).toBe(201);
    const approved = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'approve',
      requestId: request.body.id,
    });
    expect(approved.body.version).toBe(2);
    expect(approved.body.rights.filter((r: { right: string }) => r.right === 'operation')).toEqual([
      expect.objectContaining({ organisationId: other.organisationId, shareBasisPoints: 10_000 }),
    ]);
    const certificate = (await other.client.get(`/v1/assets/${id}/certificate`)).body;
    expect(
      certificate.facts.rights.find((r: { right: string }) => r.right === 'operation').organisationId,
    ).toBe(other.organisationId);
  });

  it('cancels on the registrant’s request after review; the certificate verifies as cancelled', async () => {
    const { id } = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const registered = (await merchant.client.get(`/v1/assets/${id}/certificate`)).body;
    const asked = await merchant.client.post(`/v1/assets/${id}/cancel`, { reason: '数据停止更新' });
    expect(asked.status).toBe(200);
    expect(asked.body.asset.status).toBe('registered');
    expect(asked.body.request).toMatchObject({ kind: 'cancellation', status: 'pending' });
    const done = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'approve',
      reason: '同意注销',
      requestId: asked.body.request.id,
    });
    expect(done.body.status).toBe('cancelled');
    expect(withdrawn.some((w) => w.assetId === id && w.reason.includes('cancelled'))).toBe(true);
    const cancelled = (await merchant.client.get(`/v1/assets/${id}/certificate`)).body;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      registrationNumber: registered.registrationNumber,
    });
    expect(verifyCertificate(cancelled, signer).ok).toBe(true);
    for (const document of [registered, cancelled])
      expect((await world.anonymous.post('/v1/certificates/verify', document)).body).toMatchObject({
        valid: false,
        status: 'cancelled',
      });
    expect(
      (await merchant.client.post(`/v1/assets/${id}/changes`, { changes: { title: 'x' }, reason: 'r' }))
        .status,
    ).toBe(409);
  });

  it('applies one of parallel decisions on a change, and refuses a change overtaken by another', async () => {
    const { id } = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const first = await merchant.client.post(`/v1/assets/${id}/changes`, {
      changes: { rowCount: 1_250_000 },
      reason: '追加数据',
    });
    const certificatesBefore = await count('asset_certificates');
    const replies = await Promise.all([
      ...Array.from({ length: 4 }, () =>
        operator.post(`/v1/assets/${id}/review`, { decision: 'approve', requestId: first.body.id }),
      ),
      operator.post(`/v1/assets/${id}/review`, {
        decision: 'reject',
        reason: '否',
        requestId: first.body.id,
      }),
    ]);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(4);
    const winner = replies.find((r) => r.status === 200)!;
    const approved = winner.body.version === 2;
    expect(await count('asset_certificates')).toBe(certificatesBefore + (approved ? 1 : 0));
    const requests = (await merchant.client.get(`/v1/assets/${id}/requests`)).body.requests;
    expect(requests[0].status).toBe(approved ? 'approved' : 'rejected');
    // Two changes filed against the same version: the second cannot be applied once the first was.
    const a = await merchant.client.post(`/v1/assets/${id}/changes`, {
      changes: { rowCount: 1 },
      reason: 'a',
    });
    expect(a.status).toBe(201);
    const pendingTwice = await merchant.client.post(`/v1/assets/${id}/changes`, {
      changes: { rowCount: 2 },
      reason: 'b',
    });
    expect(pendingTwice.status).toBe(409);
    const transfer = await merchant.client.post(`/v1/assets/${id}/transfers`, {
      rights: rights([
        ['holding', merchant.organisationId, 10_000],
        ['processing', merchant.organisationId, 10_000],
        ['operation', other.organisationId, 10_000],
      ]),
      reason: 'c',
    });
    expect(
      (await operator.post(`/v1/assets/${id}/review`, { decision: 'approve', requestId: a.body.id })).status,
    ).toBe(200);
    const stale = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'approve',
      requestId: transfer.body.id,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('stale_request');
    expect(
      (await merchant.client.get(`/v1/assets/${id}`)).body.rights.map(
        (r: { organisationId: string }) => r.organisationId,
      ),
    ).not.toContain(other.organisationId);
  });

  it('lets the operator cancel at once', async () => {
    const { id } = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const done = await operator.post(`/v1/assets/${id}/cancel`, { reason: '违规登记' });
    expect(done.body.asset.status).toBe('cancelled');
    expect(done.body.request.status).toBe('approved');
  });

  it('takes objections from any admitted organisation: upheld suspends, dismissed changes nothing', async () => {
    const { id } = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const dismissed = await buyer.client.post(`/v1/assets/${id}/objections`, { reason: '数据来源存疑' });
    expect(dismissed.status).toBe(201);
    expect(
      (
        await operator.post(`/v1/assets/${id}/review`, {
          decision: 'reject',
          reason: '来源已核实',
          requestId: dismissed.body.id,
        })
      ).body.status,
    ).toBe('registered');
    expect((await merchant.client.post(`/v1/assets/${id}/objections`, { reason: 'x' })).status).toBe(409);
    const upheld = await other.client.post(`/v1/assets/${id}/objections`, { reason: '侵犯我方持有权' });
    const suspended = await operator.post(`/v1/assets/${id}/review`, {
      decision: 'approve',
      reason: '异议成立',
      requestId: upheld.body.id,
    });
    expect(suspended.body).toMatchObject({ status: 'suspended', statusReason: '异议成立' });
    const certificate = (await merchant.client.get(`/v1/assets/${id}/certificate`)).body;
    expect((await world.anonymous.post('/v1/certificates/verify', certificate)).body).toMatchObject({
      valid: false,
      status: 'suspended',
    });
    expect(
      (await operator.post(`/v1/assets/${id}/reinstate`, { reason: '权属争议已解决' })).body.status,
    ).toBe('registered');
    expect((await world.anonymous.post('/v1/certificates/verify', certificate)).body.valid).toBe(true);
    const history = await regulator.get(`/v1/assets/${id}/reviews`);
    expect(
      history.body.reviews.map((r: { subject: string; decision: string }) => `${r.subject}:${r.decision}`),
    ).toEqual(['registration:approve', 'objection:reject', 'objection:approve', 'status:reinstate']);
  });
});

describe('valuations (DE 42)', () => {
  it('are filed by an organisation the operator made an assessor, and listed with the asset', async () => {
    const assessor = await world.party(['buyer'], operator);
    const { id } = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const report = {
      method: 'income',
      valueFen: '125000000',
      valuedOn: '2026-11-30',
      reportSha256: 'a'.repeat(64),
    };
    expect((await assessor.client.post(`/v1/assets/${id}/valuations`, report)).status).toBe(403);
    const granted = await operator.post(`/v1/organisations/${assessor.organisationId}/roles`, {
      role: 'assessor',
    });
    expect(granted.body.roles).toContain('assessor');
    // The grant takes effect on the credential at once (the cache is told after commit).
    const filed = await assessor.client.post(`/v1/assets/${id}/valuations`, report);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ method: 'income', valueFen: '125000000', assetVersion: 1 });
    expect(
      (await assessor.client.post(`/v1/assets/${id}/valuations`, { ...report, valueFen: 1.5 })).status,
    ).toBe(400);
    const asset = await merchant.client.get(`/v1/assets/${id}`);
    expect(asset.body.valuations).toEqual([expect.objectContaining({ valueFen: '125000000' })]);
  });

  it('refuses a valuation by a party to the asset (DE 42)', async () => {
    const { id } = await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        rights: rights([
          ['holding', merchant.organisationId, 10_000],
          ['processing', merchant.organisationId, 10_000],
          ['operation', other.organisationId, 10_000],
        ]),
      }),
    );
    await operator.post(`/v1/organisations/${other.organisationId}/roles`, { role: 'assessor' });
    const before = await snapshot();
    const refused = await other.client.post(`/v1/assets/${id}/valuations`, {
      method: 'cost',
      valueFen: 1,
      valuedOn: '2026-11-30',
      reportSha256: 'b'.repeat(64),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.article).toBe('DE 42');
    expect(await snapshot()).toEqual(before);
  });
});

describe('important and core data catalogue (DS 22)', () => {
  it('lists an organisation’s registered important and core data and tells regulators of each change', async () => {
    const holder = await world.party(['merchant'], operator);
    const { id } = await registerAsset(
      holder.client,
      operator,
      assetBody(holder.organisationId, {
        classification: { affectedObject: 'social-order', harm: 'serious' },
      }),
    );
    await registerAsset(holder.client, operator, assetBody(holder.organisationId));
    const catalogue = await holder.client.get(`/v1/organisations/${holder.organisationId}/important-data`);
    expect(catalogue.status).toBe(200);
    expect(catalogue.body.entries).toEqual([
      expect.objectContaining({ assetId: id, level: 'important', relation: 'registrant-and-holder' }),
    ]);
    expect((await other.client.get(`/v1/organisations/${holder.organisationId}/important-data`)).status).toBe(
      404,
    );
    expect((await regulator.get(`/v1/organisations/${holder.organisationId}/important-data`)).status).toBe(
      200,
    );
    await operator.post(`/v1/assets/${id}/cancel`, { reason: '停止持有' });
    expect(
      (await regulator.get(`/v1/organisations/${holder.organisationId}/important-data`)).body.entries,
    ).toEqual([]);
    const found = await regulator.get(
      `/v1/ledger/search?action=catalogue.importantDataChanged&subject=${holder.organisationId}`,
    );
    expect(found.body.entries.map((e: { payload: { change: string } }) => e.payload.change)).toEqual([
      'added',
      'removed',
    ]);
  });
});

describe('AssetReader (for listings)', () => {
  it('reads existing assets inside the caller’s transaction with their holders per right', async () => {
    const { id } = await registerAsset(
      merchant.client,
      operator,
      assetBody(merchant.organisationId, {
        rights: rights([
          ['holding', merchant.organisationId, 10_000],
          ['processing', merchant.organisationId, 5_000],
          ['processing', other.organisationId, 5_000],
          ['operation', other.organisationId, 10_000],
        ]),
      }),
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    const read = await t.app
      .get(UnitOfWork)
      .run((em) => t.app.get(AssetReader).listable(em, [id, missing, id]));
    expect(read).toEqual([
      expect.objectContaining({
        id,
        status: 'registered',
        level: 'general',
        openAttribute: 'conditional',
        registrationNumber: expect.stringMatching(/^HDDE-/),
        rowCount: 1_200_000,
        holders: {
          holding: [merchant.organisationId],
          processing: [merchant.organisationId, other.organisationId].sort(),
          operation: [other.organisationId],
        },
      }),
    ]);
    expect(read[0].columns[0]).toEqual({
      name: 'intersection_id',
      type: 'text',
      unit: null,
      personalInformation: false,
      tradeSecret: false,
      public: true,
    });
  });
});

describe('ledger', () => {
  it('verifies after the whole flow', async () => {
    const verified = await regulator.get('/v1/ledger/verify');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
  });
});
