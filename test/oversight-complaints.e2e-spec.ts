import { createHash } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { HEAD_REUSE_MS } from '@app/ledger';
import { Contract, ContractDeliveryService } from '@app/trading';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { ledgerOf, sqlOf } from './support/db-probe.js';
import type { HttpClient, Reply } from './support/http-client.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';
import { World, type Party } from './support/world.js';

/**
 * Complaints and reports from anyone (DE 26, DE 60, DS 58), on SQLite and (with DATABASE_URL) PostgreSQL: filed
 * with or without an account, followed by receipt code alone, triaged, investigated and decided by the operator
 * and regulators; an upheld decision suspending a listing, an organisation or a contract in the same transaction;
 * the reporter never shown to the reported party.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let reporter: Party;
let buyer: Party;

const RECEIPT = /^DXC(-[0-9A-HJKMNP-TV-Z]{5}){4}$/;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const sql = <T>(text: string, params: unknown[] = []) => sqlOf(t)<T>(text, params);

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  reporter = await world.party(['buyer'], operator);
  buyer = await world.party(['buyer'], operator);
}, 120_000);
afterAll(() => t.close());

async function listing(owner: Party = merchant, variant: Record<string, unknown> = {}, extra = {}) {
  const asset = await registerAsset(owner.client, operator, assetBody(owner.organisationId, variant));
  return publishedListing(owner.client, operator, listingBody([asset.id], extra));
}

const file = (client: HttpClient, body: Record<string, unknown>) => client.post('/v1/complaints', body);
const lookup = (receiptCode: string) => world.anonymous.post('/v1/complaints/lookup', { receiptCode });

function expectStatus(reply: Reply, status: number, code?: string): Reply {
  expect([reply.status, code === undefined ? undefined : reply.body?.code, reply.body]).toEqual([
    status,
    code,
    expect.anything(),
  ]);
  return reply;
}

async function inCatalogue(listingId: string): Promise<boolean> {
  const reply = await world.anonymous.get('/v1/catalog?limit=100');
  expect(reply.status).toBe(200);
  return JSON.stringify(reply.body.items).includes(listingId);
}

describe('filing and following without an account', () => {
  it('files anonymously, follows by receipt code through triage, investigation and a dismissal', async () => {
    const listingId = await listing();
    const statement = '该挂牌的数据来源可疑：与某公开报告的数字完全一致。';
    const filed = await file(world.anonymous, {
      category: 'illegal-data-source',
      subjectKind: 'listing',
      subjectId: listingId,
      statement,
      evidenceHashes: [`0x${'AB'.repeat(32)}`],
      contact: 'reporter@example.cn',
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toEqual({
      id: expect.any(String),
      receiptCode: expect.stringMatching(RECEIPT),
      state: 'received',
      createdAt: t.clock.now().toISOString(),
    });
    const { id, receiptCode } = filed.body as { id: string; receiptCode: string };

    // Only the code's SHA-256 is kept.
    const [row] = await sql<Record<string, unknown>>('select * from "complaints" where "id" = ?', [id]);
    expect(row.receipt_hash).toBe(sha256(receiptCode));
    expect(JSON.stringify(row)).not.toContain(receiptCode.slice(4));
    expect(row).toMatchObject({ reporter_account_id: null, reporter_organisation_id: null });
    expect(row.reported_organisation_id).toBe(merchant.organisationId);

    const seen = await lookup(receiptCode);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({
      state: 'received',
      outcome: null,
      publicNote: null,
      category: 'illegal-data-source',
      subjectKind: 'listing',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      decidedAt: null,
    });
    // Typed by hand: lower case, no hyphens, O for 0 and I/L for 1 all find it.
    const typed = receiptCode.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect((await lookup(typed)).body.state).toBe('received');

    expectStatus(await regulator.post(`/v1/complaints/${id}/triage`, { publicNote: '已受理。' }), 200);
    expect((await lookup(receiptCode)).body).toMatchObject({ state: 'triaged', publicNote: '已受理。' });
    expectStatus(await regulator.post(`/v1/complaints/${id}/triage`, {}), 409, 'invalid_transition');
    expectStatus(await operator.post(`/v1/complaints/${id}/investigation`, {}), 200);
    expect((await lookup(receiptCode)).body).toMatchObject({
      state: 'investigating',
      publicNote: '已受理。',
    });
    const decided = await operator.post(`/v1/complaints/${id}/decision`, {
      outcome: 'dismissed',
      reason: 'the merchant showed the licence for the source',
      publicNote: '经核查，数据来源合法，不予支持。',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ state: 'decided', outcome: 'dismissed', suspension: null });
    expect((await lookup(receiptCode)).body).toMatchObject({
      state: 'decided',
      outcome: 'dismissed',
      publicNote: '经核查，数据来源合法，不予支持。',
      decidedAt: t.clock.now().toISOString(),
    });
    expectStatus(
      await operator.post(`/v1/complaints/${id}/decision`, { outcome: 'upheld', reason: 'again' }),
      409,
      'invalid_transition',
    );
    // Dismissed: nothing suspended, the listing stays in the catalogue.
    expect((await operator.get(`/v1/listings/${listingId}`)).body.status).toBe('published');
    expect(await inCatalogue(listingId)).toBe(true);

    const entries = await ledgerOf(t, id);
    expect(entries.map((e) => e.action)).toEqual([
      'complaint.filed',
      'complaint.triaged',
      'complaint.investigating',
      'complaint.decided',
    ]);
    expect(entries[0]).toMatchObject({
      actor: { accountId: null, organisationId: null },
      payload: {
        category: 'illegal-data-source',
        subjectKind: 'listing',
        subjectId: listingId,
        statementSha256: sha256(statement),
      },
    });
    expect(JSON.stringify(entries[0])).not.toContain('reporter@example.cn');
    expect(JSON.stringify(entries[0])).not.toContain(statement);
  });

  it('answers 404 for a receipt code that was never issued, 400 for one that cannot be a code', async () => {
    expectStatus(await lookup('DXC-00000-00000-00000-00000'), 404, 'not_found');
    expectStatus(await lookup('not a code'), 400, 'invalid_receipt_code');
    expectStatus(await world.anonymous.post('/v1/complaints/lookup', {}), 400);
  });

  it('refuses a subject that does not exist (404 naming its kind) and bad input (400), storing nothing', async () => {
    const before = (await sql<{ n: number }>('select count(*) as "n" from "complaints"'))[0].n;
    const ghost = '3f1d9a52-5d0e-4a59-9a0b-0c1e2f3a4b5c';
    for (const kind of ['listing', 'organisation', 'contract']) {
      const reply = await file(world.anonymous, {
        category: 'other',
        subjectKind: kind,
        subjectId: ghost,
        statement: 'x',
      });
      expect([reply.status, reply.body.message]).toEqual([404, `${kind} not found`]);
    }
    for (const body of [
      { category: 'nonsense', statement: 'x' },
      { category: 'other', statement: '' },
      { category: 'other', statement: 'x'.repeat(8001) },
      { category: 'other', statement: 'x', subjectKind: 'listing' },
      { category: 'other', statement: 'x', subjectId: ghost },
      { category: 'other', statement: 'x', evidenceHashes: ['0x12'] },
      { category: 'other', statement: 'x', evidenceHashes: Array(21).fill(`0x${'a'.repeat(64)}`) },
      { category: 'other', statement: 'x', contact: 'c'.repeat(201) },
    ])
      expect([body, (await file(world.anonymous, body)).status]).toEqual([body, 400]);
    expect((await sql<{ n: number }>('select count(*) as "n" from "complaints"'))[0].n).toEqual(before);
  });
});

describe('a signed-in reporter, hidden from the reported party', () => {
  it('records the reporter for the overseers only; an upheld decision suspends the listing out of the catalogue', async () => {
    const listingId = await listing();
    expect(await inCatalogue(listingId)).toBe(true);
    const filed = await file(reporter.client, {
      category: 'privacy-violation',
      subjectKind: 'listing',
      subjectId: listingId,
      statement: '样例数据含手机号。',
      contact: '138 0000 0000',
    });
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;

    const full = await regulator.get(`/v1/complaints/${id}`);
    expect(full.body).toMatchObject({
      id,
      reporterAccountId: reporter.accountId,
      reporterOrganisationId: reporter.organisationId,
      reporterContact: '138 0000 0000',
      subjectKind: 'listing',
      subjectId: listingId,
      reportedOrganisationId: merchant.organisationId,
      statement: '样例数据含手机号。',
    });
    const [filedEntry] = await ledgerOf(t, id);
    expect(filedEntry).toMatchObject({
      action: 'complaint.filed',
      actor: { accountId: reporter.accountId, organisationId: reporter.organisationId },
      subjectIds: [id],
    });
    // The reporter finds its own filing among its entries (once a head covers it).
    t.clock.advance(HEAD_REUSE_MS + 1);
    expect(JSON.stringify((await reporter.client.get('/v1/ledger/mine?limit=200')).body)).toContain(id);

    const decided = await regulator.post(`/v1/complaints/${id}/decision`, {
      outcome: 'upheld',
      reason: 'personal information in the sample',
      publicNote: '投诉成立，挂牌已暂停。',
      suspend: true,
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ outcome: 'upheld', suspension: { kind: 'listing', id: listingId } });
    const suspended = await operator.get(`/v1/listings/${listingId}`);
    expect(suspended.body).toMatchObject({
      status: 'suspended',
      statusReason: `complaint ${id}: personal information in the sample`,
    });
    expect(await inCatalogue(listingId)).toBe(false);
    expect((await ledgerOf(t, listingId)).find((e) => e.action === 'listing.suspended')).toMatchObject({
      actor: { organisationId: expect.any(String) },
      payload: { reason: `complaint ${id}: personal information in the sample` },
    });

    // The merchant learns of the decision, and of nobody who reported it, anywhere it may read.
    t.clock.advance(HEAD_REUSE_MS + 1);
    const seenByMerchant: unknown[] = [];
    let after: string | null = null;
    do {
      const page: Reply = await merchant.client.get(
        `/v1/ledger/mine?limit=200${after ? `&after=${after}` : ''}`,
      );
      expect(page.status).toBe(200);
      seenByMerchant.push(page.body);
      after = page.body.next === null ? null : String(page.body.next);
    } while (after !== null);
    for (const path of [
      `/v1/listings/${listingId}`,
      '/v1/listings',
      `/v1/organisations/${merchant.organisationId}`,
    ])
      seenByMerchant.push((await merchant.client.get(path)).body);
    const text = JSON.stringify(seenByMerchant);
    expect(text).toContain('complaint.decided');
    expect(text).toContain(id);
    expect(text).not.toContain(reporter.accountId);
    expect(text).not.toContain(reporter.organisationId);
    expect(text).not.toContain('138 0000 0000');

    for (const party of [merchant, reporter, buyer]) {
      expectStatus(await party.client.get('/v1/complaints'), 403);
      expectStatus(await party.client.get(`/v1/complaints/${id}`), 403);
      expectStatus(await party.client.post(`/v1/complaints/${id}/triage`, {}), 403);
      expectStatus(
        await party.client.post(`/v1/complaints/${id}/decision`, { outcome: 'dismissed', reason: 'x' }),
        403,
      );
    }
    expectStatus(await world.anonymous.get('/v1/complaints'), 401);
  });

  it('refuses a sent credential that is not valid rather than filing anonymously', async () => {
    const forged = world.anonymous.as('dxs_' + 'A'.repeat(40));
    expectStatus(await file(forged, { category: 'other', statement: 'x' }), 401);
  });

  it('lists for the overseers, newest first, filtered and paged', async () => {
    const a = await file(world.anonymous, { category: 'unfair-pricing', statement: 'a' });
    t.clock.advance(1000);
    const b = await file(world.anonymous, { category: 'unfair-pricing', statement: 'b' });
    const page1 = await operator.get('/v1/complaints?category=unfair-pricing&limit=1');
    expect(page1.body.items.map((c: { id: string }) => c.id)).toEqual([b.body.id]);
    const page2 = await operator.get(
      `/v1/complaints?category=unfair-pricing&limit=1&after=${page1.body.next}`,
    );
    expect(page2.body.items.map((c: { id: string }) => c.id)).toEqual([a.body.id]);
    const listed = await regulator.get('/v1/complaints?state=received&subjectKind=listing&limit=200');
    expect(listed.status).toBe(200);
    for (const c of listed.body.items) expect(c).toMatchObject({ state: 'received', subjectKind: 'listing' });
    expectStatus(await operator.get('/v1/complaints?state=nonsense'), 400);
  });
});

describe('decisions that suspend', () => {
  it('suspends an organisation: its credentials lose their roles', async () => {
    const accused = await world.party(['merchant'], operator);
    const filed = await file(buyer.client, {
      category: 'contract-breach',
      subjectKind: 'organisation',
      subjectId: accused.organisationId,
      statement: '多次收款后不交付。',
    });
    const id = filed.body.id as string;
    expectStatus(
      await operator.post(`/v1/complaints/${id}/decision`, {
        outcome: 'upheld',
        reason: 'repeated',
        suspend: true,
      }),
      200,
    );
    const organisation = await operator.get(`/v1/organisations/${accused.organisationId}`);
    expect(organisation.body).toMatchObject({
      status: 'suspended',
      statusReason: `complaint ${id}: repeated`,
    });
    expect((await accused.client.get('/v1/listings')).status).toBe(403);
    // Reinstated, it reads its ledger again: the decision is there, the reporter is not.
    expectStatus(
      await operator.post(`/v1/organisations/${accused.organisationId}/admission`, {
        decision: 'reinstate',
        reason: 'refunds made',
      }),
      200,
    );
    t.clock.advance(HEAD_REUSE_MS + 1);
    const mine = JSON.stringify((await accused.client.get('/v1/ledger/mine?limit=200')).body);
    expect(mine).toContain('complaint.decided');
    expect(mine).not.toContain(buyer.organisationId);
    expect(mine).not.toContain(buyer.accountId);
  });

  it('refuses suspend with a dismissal or without a subject, and a refused suspension decides nothing', async () => {
    const plain = await file(world.anonymous, { category: 'other', statement: 'no subject' });
    expectStatus(
      await operator.post(`/v1/complaints/${plain.body.id}/decision`, {
        outcome: 'upheld',
        reason: 'r',
        suspend: true,
      }),
      400,
      'nothing_to_suspend',
    );
    const listingId = await listing();
    const about = await file(world.anonymous, {
      category: 'other',
      subjectKind: 'listing',
      subjectId: listingId,
      statement: 's',
    });
    expectStatus(
      await operator.post(`/v1/complaints/${about.body.id}/decision`, {
        outcome: 'dismissed',
        reason: 'r',
        suspend: true,
      }),
      400,
      'suspension_needs_upheld',
    );
    // Suspended already (by the operator directly): the decision with a suspension is refused as a whole.
    await operator.post(`/v1/listings/${listingId}/suspend`, { reason: 'by hand' });
    expectStatus(
      await operator.post(`/v1/complaints/${about.body.id}/decision`, {
        outcome: 'upheld',
        reason: 'r',
        suspend: true,
      }),
      409,
      'invalid_transition',
    );
    for (const c of [plain, about])
      expect((await operator.get(`/v1/complaints/${c.body.id}`)).body).toMatchObject({ state: 'received' });
    expect((await ledgerOf(t, about.body.id)).map((e) => e.action)).toEqual(['complaint.filed']);
  });
});

describe('contract suspension', () => {
  const fileTerms = computeTerms({
    delivery: 'file',
    columns: [],
    recipes: [],
    billingUnit: 'one-off',
    computations: null,
  });

  async function activeContract(
    listingId: string,
    terms = fileTerms,
    days = 30,
    escrow: 'held' | 'released' = 'held',
  ): Promise<Contract> {
    const contract = await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
      terms,
      state: 'active',
    });
    const now = t.clock.now();
    await t.app
      .get(MikroORM)
      .em.fork()
      .nativeUpdate(
        Contract,
        { id: contract.id },
        {
          fundedAt: now,
          endsAt: new Date(now.getTime() + days * 86_400_000),
          deliveryDueAt: new Date(now.getTime() + 86_400_000),
          escrow,
        },
      );
    return contract;
  }

  const download = (contractId: string, fileId: string) =>
    buyer.client.request('GET', `/v1/contracts/${contractId}/files/${fileId}`);

  it('an upheld complaint suspends a contract: no download or computation until reinstated', async () => {
    const fileListing = await listing(merchant, assetVariants.open, {
      delivery: 'file',
      recipes: [],
      minRows: null,
      billingUnits: ['one-off'],
    });
    const uploaded = await merchant.client.request(
      'POST',
      `/v1/listings/${fileListing}/files?name=counts.csv`,
      'intersection_id,vehicle_count\nA1,120\n',
      { 'content-type': 'application/octet-stream' },
    );
    expect(uploaded.status).toBe(201);
    const contract = await activeContract(fileListing);
    expect((await download(contract.id, uploaded.body.id)).status).toBe(200);

    const filed = await file(buyer.client, {
      category: 'contract-breach',
      subjectKind: 'contract',
      subjectId: contract.id,
      statement: '合同数据被转售。',
    });
    const id = filed.body.id as string;
    expect((await regulator.get(`/v1/complaints/${id}`)).body.reportedOrganisationId).toBeNull();
    const decided = await regulator.post(`/v1/complaints/${id}/decision`, {
      outcome: 'upheld',
      reason: 'onward transfer',
      suspend: true,
    });
    expect(decided.body).toMatchObject({ suspension: { kind: 'contract', id: contract.id } });
    // Both parties read why on the contract itself.
    for (const party of [buyer, merchant])
      expect((await party.client.get(`/v1/contracts/${contract.id}`)).body).toMatchObject({
        state: 'suspended',
        suspensionReason: `complaint ${id}: onward transfer`,
      });
    expectStatus(await download(contract.id, uploaded.body.id), 409, 'contract_not_active');
    expect((await buyer.client.get(`/v1/contracts/${contract.id}/files`)).body.accessGranted).toBe(false);
    const suspendedEntry = (await ledgerOf(t, contract.id)).find((e) => e.action === 'contract.suspended');
    expect(suspendedEntry).toMatchObject({
      subjectIds: [contract.id, buyer.organisationId, merchant.organisationId],
      payload: { from: 'active', to: 'suspended', reason: `complaint ${id}: onward transfer` },
    });

    expectStatus(
      await merchant.client.post(`/v1/contracts/${contract.id}/reinstatement`, { reason: 'x' }),
      403,
    );
    expectStatus(await operator.post(`/v1/contracts/${contract.id}/reinstatement`, {}), 400);
    expectStatus(
      await operator.post(`/v1/contracts/${contract.id}/suspension`, { reason: 'x' }),
      409,
      'contract_not_active',
    );
    const back = await operator.post(`/v1/contracts/${contract.id}/reinstatement`, {
      reason: 'buyer deleted the copies',
    });
    expect(back).toMatchObject({
      status: 200,
      body: { state: 'active', escrow: 'held', suspensionReason: null },
    });
    expect((await download(contract.id, uploaded.body.id)).status).toBe(200);
    expectStatus(
      await operator.post(`/v1/contracts/${contract.id}/reinstatement`, { reason: 'x' }),
      409,
      'contract_not_suspended',
    );
  });

  it('refuses a computation on a suspended contract', async () => {
    const computeListing = await listing();
    const contract = await activeContract(computeListing, computeTerms());
    expectStatus(await operator.post(`/v1/contracts/${contract.id}/suspension`, { reason: 'inquiry' }), 200);
    const reply = await buyer.client.post('/v1/computations', {
      contractId: contract.id,
      recipe: 'mean',
      bindings: { x: 'vehicle_count' },
      filters: [],
    });
    expectStatus(reply, 422, 'contract_not_active');
    expect(reply.body.message).toMatch(/suspended/);
  });

  it('the sweep neither releases nor expires a suspended contract; after reinstatement it does', async () => {
    const fileListing = await listing(merchant, assetVariants.open, {
      delivery: 'file',
      recipes: [],
      minRows: null,
      billingUnits: ['one-off'],
    });
    // Delivered (escrow released), so the period's end is what the sweep would take.
    const contract = await activeContract(fileListing, fileTerms, 2, 'released');
    expectStatus(await regulator.post(`/v1/contracts/${contract.id}/suspension`, { reason: 'inquiry' }), 200);
    const sweep = t.app.get(ContractDeliveryService);
    const later = new Date(t.clock.now().getTime() + 3 * 86_400_000);
    await sweep.sweep(later);
    expect((await operator.get(`/v1/contracts/${contract.id}`)).body).toMatchObject({
      state: 'suspended',
      escrow: 'released',
    });
    expectStatus(
      await regulator.post(`/v1/contracts/${contract.id}/reinstatement`, { reason: 'cleared' }),
      200,
    );
    await sweep.sweep(later);
    expect((await operator.get(`/v1/contracts/${contract.id}`)).body).toMatchObject({
      state: 'ended',
      endReason: 'expired',
    });
  });
});

describe('races', () => {
  it('takes one of parallel decisions; the listing is suspended once', async () => {
    const listingId = await listing();
    const filed = await file(world.anonymous, {
      category: 'misleading-listing',
      subjectKind: 'listing',
      subjectId: listingId,
      statement: 'race',
    });
    const id = filed.body.id as string;
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? operator : regulator).post(`/v1/complaints/${id}/decision`, {
          outcome: i % 3 ? 'upheld' : 'dismissed',
          reason: `decision ${i}`,
          ...(i % 3 ? { suspend: true } : {}),
        }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const actions = (await ledgerOf(t, id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'complaint.decided')).toHaveLength(1);
    const winner = replies.find((r) => r.status === 200)!.body;
    const listingEntries = (await ledgerOf(t, listingId)).filter((e) => e.action === 'listing.suspended');
    expect(listingEntries).toHaveLength(winner.outcome === 'upheld' ? 1 : 0);
  });
});

describe('throttle', () => {
  it('throttles anonymous filings per address, not signed-in ones', async () => {
    // A fresh hour window, then the limit of 20.
    const now = t.clock.now().getTime();
    t.clock.advance(3_600_000 - (now % 3_600_000) + 1000);
    const replies: number[] = [];
    for (let i = 0; i < 20; i++)
      replies.push((await file(world.anonymous, { category: 'other', statement: `n${i}` })).status);
    expect(replies).toEqual(Array(20).fill(201));
    const refused = await file(world.anonymous, { category: 'other', statement: 'one more' });
    expectStatus(refused, 429, 'rate_limited');
    const signedIn = await world.login(reporter.username);
    expect((await file(signedIn, { category: 'other', statement: 'signed' })).status).toBe(201);
  });
});
