import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet, verifyTypedData } from 'ethers';
import { runCliAgainst } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';
import { assetBody, registerAsset } from './support/asset-fixtures.js';
import { assetVariants, listingBody, publishedListing } from './support/listing-fixtures.js';
import { insertContract } from './support/trade-fixtures.js';

/**
 * Signing from a terminal: `exchange keystore new`, `exchange signing-address register|show`,
 * `exchange contract show|sign`, against the real API; the key stays in the local keystore.
 */
let t: TestApp;
let dir: string;
let operator: HttpClient;
let merchant: Party;
let buyer: Party;
let listingId: string;
const PASSWORD = 'a long keystore password 密码';

const cli = (party: Party, args: string[], env: Record<string, string> = {}, stdin = '') =>
  runCliAgainst(t, party.client.token!, args, { EXCHANGE_KEYSTORE_PASSWORD: PASSWORD, ...env }, stdin);

beforeAll(async () => {
  t = await startTestApp();
  const world = new World(t);
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  const assetId = (
    await registerAsset(merchant.client, operator, assetBody(merchant.organisationId, assetVariants.open))
  ).id;
  listingId = await publishedListing(merchant.client, operator, listingBody([assetId]));
  dir = await mkdtemp(join(tmpdir(), 'signing-cli-'));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.close();
});

/** Makes a keystore with the CLI; returns its path and address. */
async function keystore(name: string): Promise<{ file: string; address: string }> {
  const file = join(dir, name);
  const made = await cli(buyer, ['keystore', 'new', '--out', file]);
  expect(made).toMatchObject({ code: 0, stderr: '' });
  return { file, address: JSON.parse(made.stdout).address as string };
}

describe('exchange keystore new', () => {
  it('writes an encrypted keystore only its owner reads, prints the address, never the password or key', async () => {
    const file = join(dir, 'first.json');
    const made = await cli(buyer, ['keystore', 'new', '--out', file]);
    expect(made.code).toBe(0);
    const { address } = JSON.parse(made.stdout);
    const json = await readFile(file, 'utf8');
    const wallet = await Wallet.fromEncryptedJson(json, PASSWORD);
    expect(wallet.address).toBe(address);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    for (const out of [made.stdout, made.stderr]) {
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(wallet.privateKey.slice(2));
    }
    const again = await cli(buyer, ['keystore', 'new', '--out', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; a keystore is never overwritten/);
    expect(await readFile(file, 'utf8')).toBe(json);
  }, 60_000);

  it('takes the password from stdin when the variable is unset, and refuses a short one', async () => {
    const file = join(dir, 'piped.json');
    const made = await cli(
      buyer,
      ['keystore', 'new', '--out', file],
      { EXCHANGE_KEYSTORE_PASSWORD: '' },
      `${PASSWORD}\n`,
    );
    expect(made.code).toBe(0);
    expect((await Wallet.fromEncryptedJson(await readFile(file, 'utf8'), PASSWORD)).address).toBe(
      JSON.parse(made.stdout).address,
    );
    const short = await cli(buyer, ['keystore', 'new', '--out', join(dir, 'short.json')], {
      EXCHANGE_KEYSTORE_PASSWORD: 'short',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
  }, 60_000);
});

describe('exchange signing-address and exchange contract', () => {
  let buyerKey: { file: string; address: string };
  let merchantKey: { file: string; address: string };

  beforeAll(async () => {
    buyerKey = await keystore('buyer.json');
    merchantKey = await keystore('merchant.json');
  }, 60_000);

  it('registers the keystore’s address by signing a challenge, and shows it', async () => {
    const registered = await cli(buyer, ['signing-address', 'register', '--keystore', buyerKey.file]);
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({
      organisationId: buyer.organisationId,
      address: buyerKey.address,
    });
    expect(registered.stderr).toContain(`organisation: ${buyer.organisationId}`);
    const shown = await cli(buyer, ['signing-address', 'show']);
    expect(JSON.parse(shown.stdout).address).toBe(buyerKey.address);
    const merchants = await cli(merchant, ['signing-address', 'register', '--keystore', merchantKey.file]);
    expect(merchants.code).toBe(0);
  }, 60_000);

  it('refuses a wrong keystore password, saying so', async () => {
    const wrong = await cli(buyer, ['signing-address', 'register', '--keystore', buyerKey.file], {
      EXCHANGE_KEYSTORE_PASSWORD: 'not the password at all',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong password/);
  }, 60_000);

  it('shows a contract, shows what is signed, signs as buyer and merchant; the exchange countersigns', async () => {
    const contract = await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
    });
    const json = await cli(buyer, ['contract', 'show', contract.id, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: contract.id, state: 'awaiting_signatures' });
    const shown = await cli(buyer, ['contract', 'show', contract.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`contract ${contract.id} (awaiting_signatures)`);
    expect(shown.stdout).toContain(contract.termsHash);
    expect(shown.stdout).toMatch(/signed {7}buyer not yet/);

    const byBuyer = await cli(buyer, ['contract', 'sign', contract.id, '--keystore', buyerKey.file]);
    expect(byBuyer.code).toBe(0);
    expect(byBuyer.stderr).toContain(contract.termsHash);
    expect(byBuyer.stderr).toContain(contract.terms.purpose);
    expect(byBuyer.stderr).toContain(`signing as ${buyerKey.address}`);
    expect(JSON.parse(byBuyer.stdout).signatures.buyer.signer).toBe(buyerKey.address);
    expect((await cli(buyer, ['contract', 'show', contract.id])).stdout).toContain(
      `signed       buyer ${buyerKey.address} at `,
    );

    const byMerchant = await cli(merchant, ['contract', 'sign', contract.id, '--keystore', merchantKey.file]);
    expect(byMerchant.code).toBe(0);
    const signed = JSON.parse(byMerchant.stdout);
    expect(signed.state).toBe('signed');
    const { domain, types, message } = signed.typedData;
    const ledgerKey = await buyer.client.get('/v1/ledger/key');
    expect(verifyTypedData(domain, types, message, signed.signatures.platform.signature)).toBe(
      ledgerKey.body.signerAddress,
    );
    expect(verifyTypedData(domain, types, message, signed.signatures.merchant.signature)).toBe(
      merchantKey.address,
    );
  }, 90_000);

  it('exits 1 with the exchange’s reason when the keystore is not the registered address, or signing twice', async () => {
    const contract = await insertContract(t, {
      listingId,
      buyerOrganisationId: buyer.organisationId,
      merchantOrganisationId: merchant.organisationId,
    });
    const other = await keystore('other.json');
    const mismatch = await cli(buyer, ['contract', 'sign', contract.id, '--keystore', other.file]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(
      new RegExp(`422 .*expected ${buyerKey.address}, recovered ${other.address}`),
    );
    expect((await cli(buyer, ['contract', 'sign', contract.id, '--keystore', buyerKey.file])).code).toBe(0);
    const twice = await cli(buyer, ['contract', 'sign', contract.id, '--keystore', buyerKey.file]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/409 the buyer has already signed/);
    const badId = await cli(buyer, ['contract', 'show', 'nope']);
    expect(badId.code).toBe(1);
    expect(badId.stderr).toMatch(/not a contract id/);
  }, 120_000);
});
