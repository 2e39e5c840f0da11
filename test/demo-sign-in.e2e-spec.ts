import { totpAt } from '@app/identity';
import { runCli } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HttpClient } from './support/http-client.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface DemoRow {
  role: string;
  organisationId: string;
  username: string;
  password: string;
  totpSeed: string | null;
}

interface DemoMarket {
  assets: { id: string; title: string; level: string; registrationNumber: string | null }[];
  listings: { id: string; title: string; status: string }[];
}

interface DemoTrade {
  contractId: string;
  negotiationId: string;
  state: string;
  escrow: string;
  amountFen: string;
  fileId: string | null;
}

interface DemoOversight {
  incident: { id: string; level: number; state: string; summaryDueAt: string | null };
  riskReport: { id: string; periodYear: number; contentSha256: string };
  complaint: { id: string; state: string; receiptCode: string | null };
}

type Seeded = {
  parties: DemoRow[];
  market: DemoMarket;
  trade: DemoTrade;
  compute: { contractId: string };
  oversight: DemoOversight;
};

const seedAll = async (): Promise<Seeded> => {
  const result = await runCli(['demo', 'seed', '--json'], { ...t.database.env, EXCHANGE_API_URL: t.baseUrl });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Seeded;
};
/** The first run's report: only that run files the demo complaint and prints its receipt code. */
let firstRun: Seeded | undefined;
const seed = async (): Promise<DemoRow[]> => {
  const seeded = await seedAll();
  firstRun ??= seeded;
  return seeded.parties;
};

const signIn = (row: DemoRow) =>
  new HttpClient(t.baseUrl).post('/v1/auth/login', {
    username: row.username,
    password: row.password,
    ...(row.totpSeed ? { totp: totpAt(row.totpSeed, t.clock.now()) } : {}),
  });

describe('demo seed', () => {
  it('prints a password per demo account and TOTP seeds for the operator and regulator, and each role signs in', async () => {
    const parties = await seed();
    expect(parties.map((p) => p.role)).toEqual([
      'operator',
      'regulator',
      'merchant',
      'merchant',
      'merchant',
      'buyer',
    ]);
    for (const party of parties) {
      expect(party.password.length).toBeGreaterThanOrEqual(12);
      expect(party.totpSeed === null).toBe(party.role === 'merchant' || party.role === 'buyer');
      const login = await signIn(party);
      expect(login).toMatchObject({ status: 200, body: { secondFactorDone: true } });
      const me = await new HttpClient(t.baseUrl, login.body.token).get('/v1/auth/me');
      expect(me).toMatchObject({
        status: 200,
        body: { organisationId: party.organisationId, roles: [party.role], via: 'session' },
      });
    }
    // Text output prints the same kind of credentials, for a person following the README.
    const text = await runCli(['demo', 'seed'], { ...t.database.env, EXCHANGE_API_URL: t.baseUrl });
    expect(text.stdout).toMatch(/password \S{12,}/);
    expect(text.stdout).toMatch(/totp seed [A-Z2-7]{32}/);
  }, 180_000); // the first seed also makes HE keys, encrypts the compute demo dataset and runs its jobs

  it('issues fresh passwords on a second run: the old ones stop working', async () => {
    const first = await seed();
    t.clock.advance(30_000);
    const second = await seed();
    const regulatorBefore = first.find((p) => p.role === 'regulator')!;
    const regulatorNow = second.find((p) => p.role === 'regulator')!;
    expect(regulatorNow.organisationId).toBe(regulatorBefore.organisationId);
    expect((await signIn({ ...regulatorNow, password: regulatorBefore.password })).status).toBe(401);
    expect((await signIn(regulatorNow)).status).toBe(200);
  });

  it('opens a small market: registered assets with certificates that verify, a published listing in each pricing mode', async () => {
    const { parties, market } = await seedAll();
    expect(market.assets.map((a) => a.level).sort()).toEqual(['general', 'general', 'general', 'important']);
    const anyone = new HttpClient(t.baseUrl);
    const merchant = parties.find((p) => p.role === 'merchant')!;
    const merchantClient = new HttpClient(t.baseUrl, (await signIn(merchant)).body.token);
    for (const asset of market.assets) {
      expect(asset.registrationNumber).toMatch(/^HDDE-\d{4}-\d{6}$/);
      const certificate = await merchantClient.get(`/v1/assets/${asset.id}/certificate`);
      expect(certificate.status).toBe(200);
      const verdict = await anyone.post('/v1/certificates/verify', certificate.body);
      expect(verdict).toMatchObject({ status: 200, body: { valid: true, status: 'registered' } });
      if (asset.level === 'important') {
        const holders = (certificate.body.facts.rights as { organisationId: string }[]).map(
          (r) => r.organisationId,
        );
        expect(new Set(holders).size).toBe(3);
      }
    }
    const buyer = parties.find((p) => p.role === 'buyer')!;
    const buyerClient = new HttpClient(t.baseUrl, (await signIn(buyer)).body.token);
    const modes = [];
    for (const listing of market.listings) {
      expect(listing.status).toBe('published');
      const seen = await buyerClient.get(`/v1/listings/${listing.id}`);
      expect(seen.status).toBe(200);
      modes.push(seen.body.pricing.mode);
    }
    expect(new Set(modes)).toEqual(new Set(['guided', 'conditional-free', 'market']));
    // Seeding again keeps the market as it is.
    const again = await seedAll();
    expect(again.market.listings.map((l) => l.id)).toEqual(market.listings.map((l) => l.id));
    expect(again.market.assets.map((a) => a.id)).toEqual(market.assets.map((a) => a.id));
  });

  it('runs one complete trade: the buyer finds a signed, funded, delivered and settled contract', async () => {
    const { parties, trade, compute } = await seedAll();
    const client = async (role: string) =>
      new HttpClient(t.baseUrl, (await signIn(parties.find((p) => p.role === role)!)).body.token);
    const buyer = await client('buyer');
    const contract = await buyer.get(`/v1/contracts/${trade.contractId}`);
    expect(contract.status).toBe(200);
    expect(contract.body).toMatchObject({
      state: 'ended',
      endReason: 'completed',
      escrow: 'released',
      amountFen: trade.amountFen,
    });
    for (const side of ['buyer', 'merchant', 'platform'])
      expect(contract.body.signatures[side].signature).toMatch(/^0x[0-9a-f]{130}$/);
    const negotiation = await buyer.get(`/v1/negotiations/${trade.negotiationId}`);
    expect(negotiation.body.state).toBe('finalized');
    expect(negotiation.body.versions).toHaveLength(2);
    const files = await buyer.get(`/v1/contracts/${trade.contractId}/files`);
    expect(files.body.files.map((f: { id: string }) => f.id)).toEqual([trade.fileId]);
    const regulator = await client('regulator');
    const story = await regulator.get(`/v1/ledger/search?subject=${trade.contractId}`);
    const actions = story.body.entries.map((e: { action: string }) => e.action);
    for (const step of [
      'contract.countersigned',
      'contract.funded',
      'delivery.downloaded',
      'contract.deliveryConfirmed',
    ])
      expect(actions).toContain(step);
    const balances = await buyer.get('/v1/settlement/balances');
    const escrow = balances.body.accounts.find((a: { purpose: string }) => a.purpose === 'escrow');
    // What stays held is the compute demo's per-computation contract: its units not yet released.
    const computeContract = (await buyer.get(`/v1/contracts/${compute.contractId}`)).body;
    const held =
      BigInt(computeContract.amountFen) -
      BigInt(computeContract.computationsUsed) * BigInt(computeContract.terms.priceFen);
    expect(escrow).toMatchObject({ availableFen: '0', pendingFen: held.toString() });
    // Seeding again finds the trade and makes no second one.
    const again = await seedAll();
    expect(again.trade.contractId).toBe(trade.contractId);
    expect(again.compute.contractId).toBe(compute.contractId);
    const contracts = await buyer.get('/v1/contracts');
    expect(contracts.body.items.map((c: { id: string }) => c.id).sort()).toEqual(
      [trade.contractId, compute.contractId].sort(),
    );
  }, 180_000);

  it('gives the regulators something to see: an incident, a risk report and a complaint followed by its receipt code', async () => {
    const { parties, oversight } = await seedAll();
    const regulator = new HttpClient(
      t.baseUrl,
      (await signIn(parties.find((p) => p.role === 'regulator')!)).body.token,
    );
    const incident = await regulator.get(`/v1/incidents/${oversight.incident.id}`);
    // The important medical-insurance asset with a larger loss and harm: level 3, sent to the regulators at once
    // (DS 15) with its DS 16 summary due a week later.
    expect(incident.body).toMatchObject({ level: 3, importance: 'important' });
    expect(incident.body.regulatorNotifiedAt).not.toBeNull();
    expect(incident.body.summaryDueAt).toBe(oversight.incident.summaryDueAt);
    const report = await regulator.get(`/v1/risk-reports/${oversight.riskReport.id}`);
    expect(report.body).toMatchObject({ contentSha256: oversight.riskReport.contentSha256 });
    expect(report.body.importantData.length).toBeGreaterThan(0);
    const complaints = await regulator.get('/v1/complaints');
    expect(complaints.body.items.map((c: { id: string }) => c.id)).toContain(oversight.complaint.id);
    // The first run printed the receipt code; whoever holds it follows the complaint without an account.
    expect(firstRun!.oversight.complaint.id).toBe(oversight.complaint.id);
    const followed = await new HttpClient(t.baseUrl).post('/v1/complaints/lookup', {
      receiptCode: firstRun!.oversight.complaint.receiptCode,
    });
    expect(followed).toMatchObject({
      status: 200,
      body: { state: 'triaged', category: 'misleading-listing' },
    });
    // Seeding again keeps them: no second incident, report or complaint.
    const again = await seedAll();
    expect(again.oversight.incident.id).toBe(oversight.incident.id);
    expect(again.oversight.riskReport.id).toBe(oversight.riskReport.id);
    expect(again.oversight.complaint).toMatchObject({ id: oversight.complaint.id, receiptCode: null });
  }, 180_000);

  it('refuses to seed with NODE_ENV=production', async () => {
    const result = await runCli(['demo', 'seed'], {
      ...t.database.env,
      NODE_ENV: 'production',
      EXCHANGE_API_URL: t.baseUrl,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/NODE_ENV=production/);
  });
});
