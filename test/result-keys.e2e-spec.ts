import {
  generateResultKeyPair,
  openResult,
  resultKeyId,
  sealResult,
  toBase64Url,
  type ResultKeyPair,
} from '@app/results';
import { countRows, ledgerOf } from './support/db-probe.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';

/**
 * The buyer's result key (issue 11, P4) over HTTP: `POST /v1/result-keys`, `GET /v1/result-keys/mine` and
 * `GET /v1/result-keys/{organisationId}`; one key per organisation, replaced with a ledger entry.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let merchant: Party;
let buyer: Party;
let otherBuyer: Party;
let regulator: Party;
let first: ResultKeyPair;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The same 32 bytes with the two spare bits of the last character set: decodes alike, is not canonical. */
const nonCanonical = (text: string) => text.slice(0, 42) + ALPHABET[ALPHABET.indexOf(text[42]) + 1];
const encoded = (pair: ResultKeyPair) => toBase64Url(pair.publicKey);
const registrations = async (organisationId: string) =>
  (await ledgerOf(t, organisationId)).filter((e) => e.action === 'resultKey.registered');

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  otherBuyer = await world.party(['buyer'], operator);
  regulator = await world.overseer('regulator');
  first = await generateResultKeyPair();
}, 180_000);
afterAll(() => t.close());

describe('registering a result key', () => {
  it('has none at first: null for the buyer, 404 for the parties that would seal to it', async () => {
    expect((await buyer.client.get('/v1/result-keys/mine')).body).toEqual({
      organisationId: buyer.organisationId,
      publicKey: null,
      keyId: null,
      registeredAt: null,
    });
    expect((await merchant.client.get(`/v1/result-keys/${buyer.organisationId}`)).status).toBe(404);
  });

  it('registers the public key, serves it, and records it on the ledger', async () => {
    const reply = await buyer.client.post('/v1/result-keys', { publicKey: encoded(first) });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      organisationId: buyer.organisationId,
      publicKey: encoded(first),
      keyId: resultKeyId(first.publicKey),
      registeredAt: expect.any(String),
      previousKeyId: null,
    });
    const mine = await buyer.client.get('/v1/result-keys/mine');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      organisationId: buyer.organisationId,
      publicKey: encoded(first),
      keyId: resultKeyId(first.publicKey),
      registeredAt: reply.body.registeredAt,
    });
    const entries = await registrations(buyer.organisationId);
    expect(entries).toHaveLength(1);
    expect(entries[0].payload).toEqual({
      keyId: resultKeyId(first.publicKey),
      publicKey: encoded(first),
      previousKeyId: null,
    });
  });

  it('lets the merchant, the operator and a regulator read it (a public key), and seal a result that the key opens', async () => {
    for (const reader of [merchant.client, operator, regulator.client, otherBuyer.client]) {
      const reply = await reader.get(`/v1/result-keys/${buyer.organisationId}`);
      expect(reply.status).toBe(200);
      expect(reply.body.publicKey).toBe(encoded(first));
    }
    const served = (await merchant.client.get(`/v1/result-keys/${buyer.organisationId}`)).body;
    const raw = new Uint8Array(Buffer.from(served.publicKey as string, 'base64url'));
    const binding = { computationId: crypto.randomUUID(), contractId: crypto.randomUUID() };
    const envelope = await sealResult(raw, new TextEncoder().encode('{"sum":"12345"}'), binding);
    expect(envelope.keyId).toBe(served.keyId);
    expect(new TextDecoder().decode(await openResult(first.privateKey, envelope, binding))).toBe(
      '{"sum":"12345"}',
    );
    const stranger = await generateResultKeyPair();
    await expect(openResult(stranger.privateKey, envelope, binding)).rejects.toThrow(/sealed to key/);
  });

  it('is not served without signing in, and 404 for an organisation that has none', async () => {
    const anonymous = merchant.client.as('');
    expect((await anonymous.get(`/v1/result-keys/${buyer.organisationId}`)).status).toBe(401);
    expect((await buyer.client.get(`/v1/result-keys/${merchant.organisationId}`)).status).toBe(404);
    expect((await buyer.client.get(`/v1/result-keys/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await buyer.client.get('/v1/result-keys/not-a-uuid')).status).toBe(400);
  });

  it('replaces the key on a new registration, naming the one it replaced, with both on the ledger', async () => {
    const second = await generateResultKeyPair();
    const reply = await buyer.client.post('/v1/result-keys', { publicKey: encoded(second) });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      publicKey: encoded(second),
      keyId: resultKeyId(second.publicKey),
      previousKeyId: resultKeyId(first.publicKey),
    });
    expect((await otherBuyer.client.get(`/v1/result-keys/${buyer.organisationId}`)).body.publicKey).toBe(
      encoded(second),
    );
    expect((await registrations(buyer.organisationId)).map((e) => e.payload.previousKeyId)).toEqual([
      null,
      resultKeyId(first.publicKey),
    ]);
    expect(await countRows(t, 'result_keys')).toBe(1);
    // The same key again changes nothing.
    const before = await countRows(t, 'ledger_entries');
    const again = await buyer.client.post('/v1/result-keys', { publicKey: encoded(second) });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ keyId: resultKeyId(second.publicKey), previousKeyId: null });
    expect(again.body.registeredAt).toBe(reply.body.registeredAt);
    expect(await countRows(t, 'ledger_entries')).toBe(before);
  });
});

describe('refusals change nothing', () => {
  const state = async () => ({
    mine: (await buyer.client.get('/v1/result-keys/mine')).body,
    rows: await countRows(t, 'result_keys'),
    ledger: await countRows(t, 'ledger_entries'),
  });

  it.each([
    ['missing', {}],
    ['not a string', { publicKey: 42 }],
    ['standard base64 with padding', { publicKey: Buffer.alloc(32, 7).toString('base64') }],
    ['31 bytes', { publicKey: toBase64Url(new Uint8Array(31).fill(9)) }],
    ['33 bytes', { publicKey: toBase64Url(new Uint8Array(33).fill(9)) }],
    ['not base64url', { publicKey: '!'.repeat(43) }],
    [
      'a non-canonical encoding (spare bits set)',
      { publicKey: nonCanonical(toBase64Url(new Uint8Array(32).fill(9))) },
    ],
    ['the all-zero (low-order) point', { publicKey: toBase64Url(new Uint8Array(32)) }],
  ])('a public key that is %s: 400 saying what is wrong', async (_what, body) => {
    const before = await state();
    const reply = await buyer.client.post('/v1/result-keys', body);
    expect(reply.status).toBe(400);
    expect(String(reply.body.message)).toMatch(/publicKey/);
    expect(await state()).toEqual(before);
  });

  it('refuses a merchant and an overseer (403): they register no result key', async () => {
    const before = await state();
    const key = encoded(await generateResultKeyPair());
    for (const party of [merchant.client, operator, regulator.client])
      expect((await party.post('/v1/result-keys', { publicKey: key })).status).toBe(403);
    expect((await regulator.client.get('/v1/result-keys/mine')).status).toBe(403);
    expect(await state()).toEqual(before);
    expect((await merchant.client.get(`/v1/result-keys/${merchant.organisationId}`)).status).toBe(404);
  });
});

describe('parallel registrations', () => {
  it('leave one key and a ledger chain in which each registration replaced the one before', async () => {
    const pairs = await Promise.all(Array.from({ length: 6 }, () => generateResultKeyPair()));
    const replies = await Promise.all(
      pairs.map((p) => otherBuyer.client.post('/v1/result-keys', { publicKey: encoded(p) })),
    );
    for (const r of replies) expect([201, 409]).toContain(r.status);
    const won = replies.filter((r) => r.status === 201);
    expect(won.length).toBeGreaterThanOrEqual(1);
    const entries = await registrations(otherBuyer.organisationId);
    expect(entries).toHaveLength(won.length);
    // Each entry replaced exactly the key of the entry before it; the last is the key served.
    entries.forEach((e, i) =>
      expect(e.payload.previousKeyId).toBe(i === 0 ? null : entries[i - 1].payload.keyId),
    );
    const mine = (await otherBuyer.client.get('/v1/result-keys/mine')).body;
    expect(mine.keyId).toBe(entries[entries.length - 1].payload.keyId);
    expect(await countRows(t, 'result_keys')).toBe(2);
  });
});
