import { Wallet, verifyTypedData } from 'ethers';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';

/**
 * One whole trade over HTTP, as the issue describes it, on SQLite and (with DATABASE_URL) PostgreSQL: a published
 * guided listing of public data with three rights holders → the buyer's application → the merchant's counter-offer
 * → acceptance → two signatures made outside the platform with ethers from local keys → funding from a deposit →
 * delivery confirmed → the release: platform fee, public-resource fee (DE 36) and a three-way split (DE 43) → the
 * trial balance balances → the ledger verifies and tells the story in order.
 */
let t: TestApp;
let world: World;
let operator: HttpClient;
let regulator: HttpClient;
let merchant: Party;
let hospital: Party;
let processor: Party;
let buyer: Party;
let listingId: string;
const buyerKey = Wallet.createRandom();
const merchantKey = Wallet.createRandom();

const PRICE_OFFERED = 250_000n;
const PRICE_COUNTERED = 280_000n;
const DEPOSIT = 1_000_000n;
const PLATFORM_FEE_BP = 300n; // the default TRADING_PLATFORM_FEE_BASIS_POINTS
const PUBLIC_RESOURCE_FEE_BP = 500n; // the band below

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  regulator = (await world.overseer('regulator')).client;
  merchant = await world.party(['merchant'], operator);
  hospital = await world.party(['merchant'], operator);
  processor = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  const band = await regulator.post('/v1/pricing-bands', {
    category: 'transit',
    minFen: '100000',
    maxFen: '500000',
    publicResourceFeeBasisPoints: Number(PUBLIC_RESOURCE_FEE_BP),
  });
  expect(band.status).toBe(201);
  const asset = await registerAsset(
    merchant.client,
    operator,
    assetBody(merchant.organisationId, {
      ...assetVariants.publicData,
      rights: [
        { right: 'holding', organisationId: hospital.organisationId, shareBasisPoints: 10_000 },
        { right: 'processing', organisationId: processor.organisationId, shareBasisPoints: 10_000 },
        { right: 'operation', organisationId: merchant.organisationId, shareBasisPoints: 10_000 },
      ],
    }),
  );
  listingId = await publishedListing(
    merchant.client,
    operator,
    listingBody([asset.id], {
      title: '公交站点客流均值（可用不可见）',
      pricing: { mode: 'guided', priceFen: '300000', category: 'transit' },
      billingUnits: ['one-off'],
      recipes: [{ recipe: 'mean', columns: ['boardings'] }],
      minRows: 10,
    }),
  );
  for (const [party, key] of [
    [buyer, buyerKey],
    [merchant, merchantKey],
  ] as const) {
    const challenge = await party.client.get('/v1/signing-address/challenge');
    expect(challenge.status).toBe(200);
    const registered = await party.client.post('/v1/signing-address', {
      address: key.address,
      signature: await key.signMessage(challenge.body.message),
    });
    expect(registered.status).toBeLessThan(300);
  }
}, 180_000);
afterAll(() => t.close());

const terms = (priceFen: bigint) => ({
  purpose: '公交线网优化：评估各站点早高峰客流',
  columns: ['boardings'],
  recipes: ['mean'],
  delivery: 'compute',
  billingUnit: 'one-off',
  priceFen: priceFen.toString(),
  periodDays: 30,
  computations: null,
});

const balanceOf = async (accountId: string): Promise<bigint> => {
  const reply = await operator.get('/v1/settlement/balances');
  const account = reply.body.accounts.find((a: { accountId: string }) => a.accountId === accountId);
  return account ? BigInt(account.availableFen) : 0n;
};

it('runs a whole trade from application to settlement, and the books and the ledger agree', async () => {
  // Application, counter-offer, acceptance.
  const applied = await buyer.client.post('/v1/negotiations', { listingId, terms: terms(PRICE_OFFERED) });
  expect(applied.status).toBe(201);
  expect(applied.body).toMatchObject({ state: 'requested', version: 1 });
  expect(applied.body.termsHash).toMatch(/^0x[0-9a-f]{64}$/);
  const negotiationId = applied.body.id as string;

  const countered = await merchant.client.post(`/v1/negotiations/${negotiationId}/offers`, {
    basedOnVersion: 1,
    terms: terms(PRICE_COUNTERED),
  });
  expect(countered.status).toBe(201);
  expect(countered.body).toMatchObject({ state: 'offered', version: 2 });
  expect(countered.body.termsHash).not.toBe(applied.body.termsHash);

  const accepted = await buyer.client.post(`/v1/negotiations/${negotiationId}/accept`, { version: 2 });
  expect(accepted.status).toBe(200);
  expect(accepted.body.state).toBe('agreed');
  const contractId = accepted.body.contractId as string;
  expect(contractId).toEqual(expect.any(String));

  const negotiation = await merchant.client.get(`/v1/negotiations/${negotiationId}`);
  expect(negotiation.body.versions).toHaveLength(2);
  expect(negotiation.body.versions[1].changes).toEqual([
    expect.objectContaining({ field: 'priceFen', from: '250000', to: '280000' }),
  ]);

  // The contract: what both sign is the accepted version's terms.
  const formed = await buyer.client.get(`/v1/contracts/${contractId}`);
  expect(formed.status).toBe(200);
  expect(formed.body).toMatchObject({
    state: 'awaiting_signatures',
    escrow: 'unfunded',
    termsHash: countered.body.termsHash,
    amountFen: PRICE_COUNTERED.toString(),
    publicResourceFeeBasisPoints: Number(PUBLIC_RESOURCE_FEE_BP),
  });
  expect(formed.body.clauses.map((c: { code: string }) => c.code)).toContain('no_onward_transfer');
  const shares = formed.body.shares as { organisationId: string; basisPoints: number }[];
  expect(shares.map((s) => s.organisationId).sort()).toEqual(
    [merchant.organisationId, hospital.organisationId, processor.organisationId].sort(),
  );
  expect(shares.reduce((sum, s) => sum + s.basisPoints, 0)).toBe(10_000);
  for (const s of shares) expect(Math.abs(s.basisPoints - 10_000 / 3)).toBeLessThan(1);

  const { domain, types, message } = formed.body.typedData;
  for (const [party, key] of [
    [buyer, buyerKey],
    [merchant, merchantKey],
  ] as const) {
    const signed = await party.client.post(`/v1/contracts/${contractId}/signatures`, {
      signature: await key.signTypedData(domain, types, message),
    });
    expect(signed.status).toBeLessThan(300);
  }
  const signed = await buyer.client.get(`/v1/contracts/${contractId}`);
  expect(signed.body.state).toBe('signed');
  expect(signed.body.signatures.buyer.signer).toBe(buyerKey.address);
  expect(signed.body.signatures.merchant.signer).toBe(merchantKey.address);
  const platform = signed.body.signatures.platform;
  expect(verifyTypedData(domain, types, message, platform.signature)).toBe(platform.signer);

  // Money: a deposit recorded by the operator, then the buyer funds the escrow.
  const deposit = await operator.request(
    'POST',
    '/v1/settlement/deposits',
    { organisationId: buyer.organisationId, amountFen: DEPOSIT.toString() },
    { 'idempotency-key': `trade-deposit-${contractId}` },
  );
  expect(deposit.status).toBe(201);
  const funded = await buyer.client.request(
    'POST',
    `/v1/contracts/${contractId}/fund`,
    {},
    {
      'idempotency-key': `fund-${contractId}`,
    },
  );
  expect(funded.status).toBeLessThan(300);
  expect(funded.body).toMatchObject({ state: 'active', escrow: 'held' });
  expect(await balanceOf(`available:${buyer.organisationId}`)).toBe(DEPOSIT - PRICE_COUNTERED);
  expect((await buyer.client.get(`/v1/negotiations/${negotiationId}`)).body.state).toBe('finalized');

  // Delivery confirmed: the escrow is released in one linked group.
  const confirmed = await buyer.client.post(`/v1/contracts/${contractId}/confirm-delivery`, {});
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.escrow).toBe('released');

  const platformFee = (PRICE_COUNTERED * PLATFORM_FEE_BP) / 10_000n;
  const publicFee = (PRICE_COUNTERED * PUBLIC_RESOURCE_FEE_BP) / 10_000n;
  const rest = PRICE_COUNTERED - platformFee - publicFee;
  expect(await balanceOf('platform_fee')).toBe(platformFee);
  expect(await balanceOf('public_finance')).toBe(publicFee);
  let paid = 0n;
  for (const s of shares) {
    const received = await balanceOf(`receivable:${s.organisationId}`);
    const exact = (rest * BigInt(s.basisPoints)) / 10_000n;
    expect(received === exact || received === exact + 1n).toBe(true);
    paid += received;
  }
  expect(paid).toBe(rest);
  expect(await balanceOf(`escrow:${buyer.organisationId}`)).toBe(0n);

  const trial = await regulator.get('/v1/settlement/trial-balance');
  expect(trial.body).toMatchObject({ balanced: true, reconciled: true });

  // The ledger verifies, and the contract's story is on it in order.
  expect((await regulator.get('/v1/ledger/verify')).body).toMatchObject({ ok: true });
  const story = await regulator.get(`/v1/ledger/search?subject=${contractId}`);
  const actions = story.body.entries.map((e: { action: string }) => e.action);
  for (const step of [
    'contract.signed',
    'contract.countersigned',
    'contract.funded',
    'contract.deliveryConfirmed',
  ])
    expect(actions).toContain(step);
  expect(actions.indexOf('contract.countersigned')).toBeLessThan(actions.indexOf('contract.funded'));
});
