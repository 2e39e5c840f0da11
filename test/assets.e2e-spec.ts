import { MikroORM } from '@mikro-orm/core';
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

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  other = await world.party(['merchant'], operator);
});
afterAll(() => t.close());

const count = async (table: string): Promise<number> => {
  const rows: { n: number | string }[] = await t.app
    .get(MikroORM)
    .em.getConnection()
    .execute(`select count(*) as n from "${table}"`);
  return Number(rows[0].n);
};
const ledgerSize = () => count('ledger_entries');

describe('registration, review and certificate', () => {
  it('drafts with the computed level and its justification, approves with a registration number, and certifies', async () => {
    const created = await merchant.client.post('/v1/assets', assetBody(merchant.organisationId));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', level: 'general', computedLevel: 'general' });
    expect(created.body.levelJustification).toContain('DS 21');
    const id = created.body.id;
    expect((await merchant.client.post(`/v1/assets/${id}/submit`)).body.status).toBe('submitted');
    const approved = await operator.post(`/v1/assets/${id}/review`, { decision: 'approve', reason: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('registered');
    expect(approved.body.registrationNumber).toMatch(/^HDDE-\d{4}-\d{6}$/);
    const certificate = await merchant.client.get(`/v1/assets/${id}/certificate`);
    expect(certificate.status).toBe(200);
    const key = await world.anonymous.get('/v1/certificates/signing');
    expect(verifyCertificate(certificate.body, key.body.signerAddress)).toMatchObject({ ok: true });
    const check = await world.anonymous.post('/v1/certificates/verify', certificate.body);
    expect(check.body).toMatchObject({ valid: true, status: 'registered' });
  });

  it('hides a draft from another merchant (404)', async () => {
    const created = await merchant.client.post('/v1/assets', assetBody(merchant.organisationId));
    expect((await other.client.get(`/v1/assets/${created.body.id}`)).status).toBe(404);
    expect((await regulator.get(`/v1/assets/${created.body.id}`)).status).toBe(200);
  });

  it('registers important data only after a security review', async () => {
    const body = assetBody(merchant.organisationId, {
      classification: { affectedObject: 'public-interest', harm: 'serious' },
    });
    const { registrationNumber, level } = await registerAsset(merchant.client, operator, body);
    expect(level).toBe('important');
    expect(registrationNumber).toMatch(/^HDDE-/);
    expect(await ledgerSize()).toBeGreaterThan(0);
  });
});
