import { TypedDataEncoder, Wallet, verifyTypedData, type HDNodeWallet } from 'ethers';
import { countRows, ledgerOf as ledgerOfSubject, sqlOf } from './support/db-probe.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient, Reply } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { computeTerms, insertContract } from './support/trade-fixtures.js';

/**
 * Signing addresses (proof of possession) and contract signatures end to end, on SQLite and, with DATABASE_URL,
 * PostgreSQL. Every signature is made here, outside the exchange, with ethers and local keys, over the challenge
 * text and the typed data the exchange serves: what MetaMask or a hardware wallet would be handed.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let buyer: Party;
let stranger: Party;
let listingId: string;
const keys = {
  merchant: Wallet.createRandom(),
  buyer: Wallet.createRandom(),
  stranger: Wallet.createRandom(),
};

const sql = <T>(text: string, params: unknown[] = []) => sqlOf(t)<T>(text, params);
const count = (table: string) => countRows(t, table);
const ledgerOf = (subjectId: string) => ledgerOfSubject(t, subjectId);

/** Fetches a challenge, personal-signs it with `key` (or `signer`, to sign with another key), registers. */
async function register(
  party: Party,
  key: Wallet | HDNodeWallet,
  tamper: (message: string) => string = (m) => m,
): Promise<Reply> {
  const challenge = await party.client.get('/v1/signing-address/challenge');
  expect(challenge.status).toBe(200);
  const signature = await key.signMessage(tamper(challenge.body.message as string));
  return party.client.post('/v1/signing-address', { address: key.address, signature });
}

/** Signs the typed data as served (or as `change` alters its message) with `key`, outside the exchange. */
async function signTyped(
  party: Party,
  contractId: string,
  key: Wallet | HDNodeWallet,
  change: (message: Record<string, unknown>) => Record<string, unknown> = (m) => m,
): Promise<string> {
  const contract = await party.client.get(`/v1/contracts/${contractId}`);
  expect(contract.status).toBe(200);
  const { domain, types, message } = contract.body.typedData;
  return key.signTypedData(domain, types, change(message));
}

const sign = async (party: Party, contractId: string, key: Wallet | HDNodeWallet) =>
  party.client.post(`/v1/contracts/${contractId}/signatures`, {
    signature: await signTyped(party, contractId, key),
  });

const newContract = async (overrides: Partial<Parameters<typeof insertContract>[1]> = {}) =>
  insertContract(t, {
    listingId,
    buyerOrganisationId: buyer.organisationId,
    merchantOrganisationId: merchant.organisationId,
    ...overrides,
  });

/** What a refusal must leave as it was: the contract as served, and the ledger's size. */
const stateOf = async (contractId: string) => ({
  contract: (await regulator.get(`/v1/contracts/${contractId}`)).body,
  ledger: await count('ledger_entries'),
});

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  stranger = await world.party(['buyer'], operator);
  const assetId = (
    await registerAsset(merchant.client, operator, assetBody(merchant.organisationId, assetVariants.open))
  ).id;
  listingId = await publishedListing(merchant.client, operator, listingBody([assetId]));
}, 180_000);
afterAll(() => t.close());

describe('signing addresses (proof of possession)', () => {
  it('has none at first: address null', async () => {
    const none = await buyer.client.get('/v1/signing-address');
    expect(none.status).toBe(200);
    expect(none.body).toEqual({
      organisationId: buyer.organisationId,
      address: null,
      registeredByAccountId: null,
      registeredAt: null,
    });
  });

  it('issues a challenge naming the organisation, with a random nonce and a ten-minute expiry', async () => {
    const [a, b] = [
      await buyer.client.get('/v1/signing-address/challenge'),
      await buyer.client.get('/v1/signing-address/challenge'),
    ];
    expect(a.status).toBe(200);
    expect(a.body.message).toContain(`organisation: ${buyer.organisationId}`);
    expect(a.body.message).toContain(`nonce: ${a.body.nonce}`);
    expect(a.body.message).toContain(`expires at: ${a.body.expiresAt}`);
    expect(a.body.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(b.body.nonce).not.toBe(a.body.nonce);
    expect(Date.parse(a.body.expiresAt) - Date.parse(a.body.issuedAt)).toBe(10 * 60 * 1000);
  });

  it('registers the address whose key signed the challenge, shows it, and records it on the ledger', async () => {
    const reply = await register(buyer, keys.buyer);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      organisationId: buyer.organisationId,
      address: keys.buyer.address,
      registeredByAccountId: buyer.accountId,
      previousAddress: null,
    });
    expect((await buyer.client.get('/v1/signing-address')).body.address).toBe(keys.buyer.address);
    const entries = (await ledgerOf(buyer.organisationId)).filter(
      (e) => e.action === 'signingAddress.registered',
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].payload).toMatchObject({ address: keys.buyer.address, previousAddress: null });
    expect((await register(merchant, keys.merchant)).status).toBe(201);
  });

  it('replaces the address on a new registration, with the old and the new on the ledger', async () => {
    const interim = Wallet.createRandom();
    expect((await register(buyer, interim)).body.previousAddress).toBe(keys.buyer.address);
    const back = await register(buyer, keys.buyer);
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ address: keys.buyer.address, previousAddress: interim.address });
    const entries = (await ledgerOf(buyer.organisationId))
      .filter((e) => e.action === 'signingAddress.registered')
      .map((e) => [e.payload.previousAddress, e.payload.address]);
    expect(entries.slice(-2)).toEqual([
      [keys.buyer.address, interim.address],
      [interim.address, keys.buyer.address],
    ]);
  });

  describe('refuses, changing nothing', () => {
    let before: { address: string; ledger: number };
    beforeEach(async () => {
      before = {
        address: (await buyer.client.get('/v1/signing-address')).body.address,
        ledger: await count('ledger_entries'),
      };
    });
    afterEach(async () => {
      expect((await buyer.client.get('/v1/signing-address')).body.address).toBe(before.address);
      expect(await count('ledger_entries')).toBe(before.ledger);
    });

    it('a signature by a key other than the address’s', async () => {
      const challenge = await buyer.client.get('/v1/signing-address/challenge');
      const claimed = Wallet.createRandom();
      const reply = await buyer.client.post('/v1/signing-address', {
        address: claimed.address,
        signature: await keys.stranger.signMessage(challenge.body.message),
      });
      expect(reply.status).toBe(422);
      expect(reply.body.code).toBe('signature_mismatch');
      expect(reply.body.message).toContain(claimed.address);
      expect(reply.body.message).toMatch(
        /over your newest challenge \(nonce [0-9a-f]{32}\) it recovers to 0x/,
      );
    });

    it('a signature over a tampered challenge (another organisation named, a later expiry)', async () => {
      for (const tamper of [
        (m: string) => m.replace(buyer.organisationId, stranger.organisationId),
        (m: string) => m.replace(/expires at: .*/, 'expires at: 2099-01-01T00:00:00.000Z'),
        (m: string) => `${m}\n`,
      ]) {
        const reply = await register(buyer, Wallet.createRandom(), tamper);
        expect(reply.status).toBe(422);
        expect(reply.body.code).toBe('signature_mismatch');
      }
    });

    it('a signature over a challenge issued to another organisation', async () => {
      const theirs = await stranger.client.get('/v1/signing-address/challenge');
      const key = Wallet.createRandom();
      const reply = await buyer.client.post('/v1/signing-address', {
        address: key.address,
        signature: await key.signMessage(theirs.body.message),
      });
      expect(reply.status).toBe(422);
      expect(reply.body.code).toBe('signature_mismatch');
      // and the other organisation cannot use it either once we have tried: it is still theirs, unused
      const own = await stranger.client.post('/v1/signing-address', {
        address: key.address,
        signature: await key.signMessage(theirs.body.message),
      });
      expect(own.status).toBe(201);
      before.ledger += 1;
    });

    it('a signature over an expired challenge', async () => {
      const challenge = await buyer.client.get('/v1/signing-address/challenge');
      const key = Wallet.createRandom();
      const signature = await key.signMessage(challenge.body.message);
      t.clock.advance(10 * 60 * 1000);
      const reply = await buyer.client.post('/v1/signing-address', { address: key.address, signature });
      expect(reply.status).toBe(422);
      expect(reply.body.code).toBe('challenge_expired');
    });

    it('a challenge used a second time (a replayed registration)', async () => {
      const challenge = await buyer.client.get('/v1/signing-address/challenge');
      const signature = await keys.buyer.signMessage(challenge.body.message);
      const first = await buyer.client.post('/v1/signing-address', {
        address: keys.buyer.address,
        signature,
      });
      expect(first.status).toBe(201);
      before.ledger += 1;
      const again = await buyer.client.post('/v1/signing-address', {
        address: keys.buyer.address,
        signature,
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('challenge_used');
    });

    it('malformed addresses and signatures, with what is wrong', async () => {
      const challenge = await buyer.client.get('/v1/signing-address/challenge');
      const signature = await keys.buyer.signMessage(challenge.body.message);
      const lowered = keys.buyer.address.toLowerCase();
      const wrongChecksum = lowered.replace(/[a-f]/, (c) => c.toUpperCase());
      for (const [body, pattern] of [
        [{ address: '0x1234', signature }, /address/],
        [{ address: wrongChecksum, signature }, /checksum/],
        [{ address: keys.buyer.address, signature: '0xzz' }, /signature/],
        [{ address: keys.buyer.address, signature: signature.slice(0, 130) + '05' }, /signature/],
        [{ address: keys.buyer.address }, /signature/],
        [{ address: keys.buyer.address, signature, extra: 1 }, /extra/],
      ] as const) {
        const reply = await buyer.client.post('/v1/signing-address', body);
        expect(reply.status).toBe(400);
        expect(reply.body.message).toMatch(pattern);
      }
    });
  });

  it('under parallel requests: a challenge registers once, and the ledger chains every replacement', async () => {
    const challenge = await buyer.client.get('/v1/signing-address/challenge');
    const signature = await keys.buyer.signMessage(challenge.body.message);
    const replayed = await Promise.all(
      [0, 1, 2, 3].map(() =>
        buyer.client.post('/v1/signing-address', { address: keys.buyer.address, signature }),
      ),
    );
    expect(replayed.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);

    const registrations = (await ledgerOf(buyer.organisationId)).filter(
      (e) => e.action === 'signingAddress.registered',
    ).length;
    const candidates = [0, 1, 2, 3, 4].map(() => Wallet.createRandom());
    const signed = await Promise.all(
      candidates.map(async (key) => {
        const c = await buyer.client.get('/v1/signing-address/challenge');
        return { address: key.address, signature: await key.signMessage(c.body.message) };
      }),
    );
    const replies = await Promise.all(signed.map((body) => buyer.client.post('/v1/signing-address', body)));
    const accepted = replies.filter((r) => r.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const entries = (await ledgerOf(buyer.organisationId))
      .filter((e) => e.action === 'signingAddress.registered')
      .slice(registrations);
    expect(entries).toHaveLength(accepted.length);
    // each replacement names the address it replaced: the chain is unbroken and ends at the address in force
    let previous = keys.buyer.address;
    for (const e of entries) {
      expect(e.payload.previousAddress).toBe(previous);
      previous = e.payload.address as string;
    }
    expect((await buyer.client.get('/v1/signing-address')).body.address).toBe(previous);
    expect((await register(buyer, keys.buyer)).status).toBe(201);
  });

  it('is for merchants and buyers only: overseers never trade', async () => {
    expect((await regulator.get('/v1/signing-address/challenge')).status).toBe(403);
    expect((await operator.get('/v1/signing-address/challenge')).status).toBe(403);
    expect((await world.anonymous.get('/v1/signing-address/challenge')).status).toBe(401);
  });
});

describe('contract signatures', () => {
  beforeAll(async () => {
    // the stranger's address may have been set by the refusal tests; make it a known key
    expect((await register(stranger, keys.stranger)).status).toBe(201);
  });

  it('serves typed data in the shape eth_signTypedData_v4 takes, stating the terms and their hash', async () => {
    const contract = await newContract();
    const reply = await buyer.client.get(`/v1/contracts/${contract.id}`);
    expect(reply.status).toBe(200);
    const { typedData } = reply.body;
    expect(Object.keys(typedData).sort()).toEqual(['domain', 'message', 'primaryType', 'types']);
    expect(typedData.primaryType).toBe('DataContract');
    expect(typedData.message).toMatchObject({
      contractId: contract.id,
      termsHash: reply.body.termsHash,
      buyer: buyer.organisationId,
      merchant: merchant.organisationId,
      purpose: reply.body.terms.purpose,
      priceFen: reply.body.terms.priceFen,
      amountFen: reply.body.amountFen,
    });
    // the JSON-RPC payload a wallet receives, EIP712Domain included, hashes to what ethers signs
    const payload = TypedDataEncoder.getPayload(typedData.domain, typedData.types, typedData.message);
    expect(payload.types.EIP712Domain).toEqual([
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
    ]);
    expect(payload.primaryType).toBe('DataContract');
    const types = { ...payload.types };
    delete types.EIP712Domain;
    expect(TypedDataEncoder.hash(payload.domain, types, payload.message)).toBe(
      TypedDataEncoder.hash(typedData.domain, typedData.types, typedData.message),
    );
    expect(reply.body.signatures).toEqual({ buyer: null, merchant: null, platform: null });
  });

  it('records both parties’ signatures, then countersigns with the ledger key, signs and verifies', async () => {
    const contract = await newContract();
    const first = await sign(buyer, contract.id, keys.buyer);
    expect(first.status).toBe(200);
    expect(first.body.state).toBe('awaiting_signatures');
    expect(first.body.signatures.buyer).toMatchObject({ signer: keys.buyer.address });
    expect(first.body.signatures.platform).toBeNull();

    const second = await sign(merchant, contract.id, keys.merchant);
    expect(second.status).toBe(200);
    expect(second.body.state).toBe('signed');
    const { buyer: b, merchant: m, platform: p } = second.body.signatures;
    expect(m).toMatchObject({ signer: keys.merchant.address });
    expect(p.signedAt).toEqual(expect.any(String));
    const ledgerKey = await world.anonymous.get('/v1/ledger/key');
    expect(p.signer).toBe(ledgerKey.body.signerAddress);

    // anyone verifies all three from the typed data alone
    const { domain, types, message } = second.body.typedData;
    expect(verifyTypedData(domain, types, message, b.signature)).toBe(keys.buyer.address);
    expect(verifyTypedData(domain, types, message, m.signature)).toBe(keys.merchant.address);
    expect(verifyTypedData(domain, types, message, p.signature)).toBe(ledgerKey.body.signerAddress);

    const [negotiation] = await sql<{ state: string }>(`select "state" from "negotiations" where "id" = ?`, [
      contract.negotiationId,
    ]);
    expect(negotiation.state).toBe('verified');
    const entries = await ledgerOf(contract.id);
    expect(entries.map((e) => e.action)).toEqual([
      'contract.signed',
      'contract.signed',
      'negotiation.verified',
      'contract.countersigned',
    ]);
    expect(entries[0].payload).toMatchObject({
      side: 'buyer',
      signer: keys.buyer.address,
      signature: b.signature,
    });
    expect(entries[1].payload).toMatchObject({
      side: 'merchant',
      signer: keys.merchant.address,
      signature: m.signature,
    });
    expect(entries[3].payload).toMatchObject({ signer: p.signer, signature: p.signature, to: 'signed' });
    expect((await ledgerOf(contract.negotiationId)).map((e) => e.action)).toContain('negotiation.verified');
    expect((await regulator.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
  });

  describe('refuses, changing nothing', () => {
    let contractId: string;
    let before: Awaited<ReturnType<typeof stateOf>>;
    beforeEach(async () => {
      contractId = (await newContract()).id;
      before = await stateOf(contractId);
    });
    afterEach(async () => {
      expect(await stateOf(contractId)).toEqual(before);
    });

    it('a signature over other terms (a lower price, another purpose), naming expected and recovered signer', async () => {
      for (const change of [
        (msg: Record<string, unknown>) => ({ ...msg, priceFen: '1' }),
        (msg: Record<string, unknown>) => ({ ...msg, purpose: 'resale' }),
        (msg: Record<string, unknown>) => ({ ...msg, columns: ['vehicle_count', 'plate_number'] }),
      ]) {
        const signature = await signTyped(buyer, contractId, keys.buyer, change);
        const reply = await buyer.client.post(`/v1/contracts/${contractId}/signatures`, { signature });
        expect(reply.status).toBe(422);
        expect(reply.body.code).toBe('signature_mismatch');
        expect(reply.body.message).toContain(`expected ${keys.buyer.address}`);
        expect(reply.body.message).toMatch(/recovered 0x[0-9a-fA-F]{40}/);
        expect(reply.body.message).not.toContain(`recovered ${keys.buyer.address}`);
      }
    });

    it('a signature replayed from another contract with the same terms', async () => {
      const other = await newContract();
      const signature = await signTyped(buyer, other.id, keys.buyer);
      const reply = await buyer.client.post(`/v1/contracts/${contractId}/signatures`, { signature });
      expect(reply.status).toBe(422);
      expect(reply.body.code).toBe('signature_mismatch');
    });

    it('a signature by a key other than the registered address’s', async () => {
      const reply = await sign(buyer, contractId, Wallet.createRandom());
      expect(reply.status).toBe(422);
      expect(reply.body.code).toBe('signature_mismatch');
    });

    it('the other side’s signature sent by this side', async () => {
      const signature = await signTyped(merchant, contractId, keys.merchant);
      const reply = await buyer.client.post(`/v1/contracts/${contractId}/signatures`, { signature });
      expect(reply.status).toBe(422);
    });

    it('a malformed signature', async () => {
      for (const signature of ['0x', '0x' + '11'.repeat(64) + '05', 'not hex'])
        expect(
          (await buyer.client.post(`/v1/contracts/${contractId}/signatures`, { signature })).status,
        ).toBe(400);
    });

    it('anyone not a party (404), and overseers (403)', async () => {
      const signature = await signTyped(buyer, contractId, keys.stranger);
      expect((await stranger.client.get(`/v1/contracts/${contractId}`)).status).toBe(404);
      expect(
        (await stranger.client.post(`/v1/contracts/${contractId}/signatures`, { signature })).status,
      ).toBe(404);
      expect((await regulator.post(`/v1/contracts/${contractId}/signatures`, { signature })).status).toBe(
        403,
      );
      expect((await operator.post(`/v1/contracts/${contractId}/signatures`, { signature })).status).toBe(403);
    });
  });

  it('refuses signing twice (409 already_signed)', async () => {
    const contract = await newContract();
    expect((await sign(buyer, contract.id, keys.buyer)).status).toBe(200);
    const ledger = await count('ledger_entries');
    const again = await sign(buyer, contract.id, keys.buyer);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_signed');
    expect(await count('ledger_entries')).toBe(ledger);
  });

  it('refuses a party without a registered signing address (409, telling to register one)', async () => {
    const newcomer = await world.party(['buyer'], operator);
    const contract = await newContract({ buyerOrganisationId: newcomer.organisationId });
    const reply = await sign(newcomer, contract.id, Wallet.createRandom());
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('signing_address_required');
    expect(reply.body.message).toMatch(/register/);
  });

  it('refuses a contract not awaiting signatures (409)', async () => {
    for (const state of ['signed', 'active', 'ended'] as const) {
      const contract = await newContract({ state });
      const reply = await sign(buyer, contract.id, keys.buyer);
      expect(reply.status).toBe(409);
      expect(reply.body.code).toBe('contract_not_awaiting_signatures');
    }
  });

  it('both parties signing at the same moment: both recorded, exactly one countersignature', async () => {
    const contracts = await Promise.all([0, 1, 2, 3, 4, 5].map(() => newContract()));
    const signed = await Promise.all(
      contracts.map(async (c) => {
        const [bs, ms] = await Promise.all([
          signTyped(buyer, c.id, keys.buyer),
          signTyped(merchant, c.id, keys.merchant),
        ]);
        return Promise.all([
          buyer.client.post(`/v1/contracts/${c.id}/signatures`, { signature: bs }),
          merchant.client.post(`/v1/contracts/${c.id}/signatures`, { signature: ms }),
        ]);
      }),
    );
    for (const [i, replies] of signed.entries()) {
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
      const contract = (await regulator.get(`/v1/contracts/${contracts[i].id}`)).body;
      expect(contract.state).toBe('signed');
      expect(contract.signatures.buyer.signer).toBe(keys.buyer.address);
      expect(contract.signatures.merchant.signer).toBe(keys.merchant.address);
      const actions = (await ledgerOf(contracts[i].id)).map((e) => e.action);
      expect(actions.filter((a) => a === 'contract.signed')).toHaveLength(2);
      expect(actions.filter((a) => a === 'contract.countersigned')).toHaveLength(1);
      expect(
        (await ledgerOf(contracts[i].negotiationId)).filter((e) => e.action === 'negotiation.verified'),
      ).toHaveLength(1);
    }
  });

  it('one party’s parallel duplicate signatures: one recorded, the others 409', async () => {
    const contract = await newContract();
    const signature = await signTyped(buyer, contract.id, keys.buyer);
    const replies = await Promise.all(
      [0, 1, 2, 3].map(() => buyer.client.post(`/v1/contracts/${contract.id}/signatures`, { signature })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect((await ledgerOf(contract.id)).map((e) => e.action)).toEqual(['contract.signed']);
  });
});

describe('listing contracts', () => {
  it('shows a party its own, overseers all, newest first a page at a time', async () => {
    const mine = await buyer.client.get('/v1/contracts?limit=200');
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(5);
    expect(
      mine.body.items.every(
        (c: { buyerOrganisationId: string; merchantOrganisationId: string }) =>
          c.buyerOrganisationId === buyer.organisationId || c.merchantOrganisationId === buyer.organisationId,
      ),
    ).toBe(true);
    expect((await stranger.client.get('/v1/contracts')).body.items).toEqual([]);
    // Each contract names its parties as registered (what the console shows), not only by id.
    const nameOf = async (id: string) => (await regulator.get(`/v1/organisations/${id}`)).body.name as string;
    const [buyerName, merchantName] = [
      await nameOf(buyer.organisationId),
      await nameOf(merchant.organisationId),
    ];
    expect(buyerName).not.toBe(merchantName);
    const withMerchant = mine.body.items.filter(
      (c: { merchantOrganisationId: string }) => c.merchantOrganisationId === merchant.organisationId,
    );
    expect(withMerchant.length).toBeGreaterThan(0);
    for (const c of withMerchant)
      expect(c).toMatchObject({ buyerOrganisationName: buyerName, merchantOrganisationName: merchantName });
    const all = await regulator.get('/v1/contracts?limit=200');
    expect(all.body.items.length).toBeGreaterThanOrEqual(mine.body.items.length);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Reply = await buyer.client.get(`/v1/contracts?limit=4${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      after = page.body.next;
    } while (after);
    expect(seen).toEqual(mine.body.items.map((c: { id: string }) => c.id));

    const signedOnly = await buyer.client.get('/v1/contracts?state=signed&limit=200');
    expect(signedOnly.body.items.length).toBeGreaterThan(0);
    expect(signedOnly.body.items.every((c: { state: string }) => c.state === 'signed')).toBe(true);
    expect((await buyer.client.get('/v1/contracts?after=nonsense!')).status).toBe(400);
    expect((await buyer.client.get('/v1/contracts?state=bogus')).status).toBe(400);
  });

  it('shows a contract made from these terms with its terms and hash', async () => {
    const terms = computeTerms({ periodDays: 90 });
    const contract = await newContract({ terms });
    const reply = await merchant.client.get(`/v1/contracts/${contract.id}`);
    expect(reply.body).toMatchObject({
      id: contract.id,
      state: 'awaiting_signatures',
      termsHash: contract.termsHash,
    });
    expect(reply.body.terms.periodDays).toBe(90);
    expect((await buyer.client.get('/v1/contracts/not-a-uuid')).status).toBe(400);
  });
});
