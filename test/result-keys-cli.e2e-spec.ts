import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateResultKeyPair,
  openResult,
  openResultKeyFile,
  readResultKeyFileHeader,
  resultKeyId,
  sealResult,
  toBase64Url,
} from '@app/results/core';
import { countRows, ledgerOf } from './support/db-probe.js';
import { runCliAgainst } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';

/**
 * The buyer's side of P4 from a terminal: `exchange keys init --for results` makes the key pair, writes the private
 * key sealed under a passphrase and registers the public key; a result sealed to the registered key opens with
 * that file only.
 */
let t: TestApp;
let dir: string;
let merchant: Party;
let buyer: Party;
const PASSPHRASE = 'a long result key passphrase 口令';

const cli = (party: Party, args: string[], env: Record<string, string> = {}, stdin = '') =>
  runCliAgainst(t, party.client.token!, args, { EXCHANGE_KEY_PASSPHRASE: PASSPHRASE, ...env }, stdin);

beforeAll(async () => {
  t = await startTestApp();
  const world = new World(t);
  const operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  buyer = await world.party(['buyer'], operator);
  dir = await mkdtemp(join(tmpdir(), 'result-keys-cli-'));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.close();
});

describe('exchange keys init --for results', () => {
  let file: string;

  it('writes the sealed key file (0600), registers its public key, prints neither passphrase nor private key', async () => {
    file = join(dir, 'buyer.key');
    const made = await cli(buyer, ['keys', 'init', '--for', 'results', '--out', file]);
    expect(made.code).toBe(0);
    const registered = JSON.parse(made.stdout);
    const bytes = new Uint8Array(await readFile(file));
    const pair = await openResultKeyFile(bytes, PASSPHRASE);
    expect(registered).toMatchObject({
      organisationId: buyer.organisationId,
      publicKey: toBase64Url(pair.publicKey),
      keyId: resultKeyId(pair.publicKey),
      previousKeyId: null,
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    for (const out of [made.stdout, made.stderr]) {
      expect(out).not.toContain(PASSPHRASE);
      expect(out).not.toContain(toBase64Url(pair.privateKey));
      expect(out).not.toContain(Buffer.from(pair.privateKey).toString('hex'));
      expect(out).not.toContain(Buffer.from(pair.privateKey).toString('base64'));
    }
    expect(Buffer.from(bytes).includes(Buffer.from(pair.privateKey))).toBe(false);
    const served = await merchant.client.get(`/v1/result-keys/${buyer.organisationId}`);
    expect(served.body.keyId).toBe(resultKeyId(pair.publicKey));
    expect((await ledgerOf(t, buyer.organisationId)).map((e) => e.action)).toContain('resultKey.registered');
  });

  it('a result sealed to the registered key opens with the key file only', async () => {
    const served = (await merchant.client.get(`/v1/result-keys/${buyer.organisationId}`)).body;
    const binding = { computationId: crypto.randomUUID(), contractId: crypto.randomUUID() };
    const envelope = await sealResult(
      new Uint8Array(Buffer.from(served.publicKey as string, 'base64url')),
      new TextEncoder().encode('{"mean":3.25,"rows":120}'),
      binding,
    );
    const pair = await openResultKeyFile(new Uint8Array(await readFile(file)), PASSPHRASE);
    expect(new TextDecoder().decode(await openResult(pair.privateKey, envelope, binding))).toBe(
      '{"mean":3.25,"rows":120}',
    );
    const another = await generateResultKeyPair();
    await expect(openResult(another.privateKey, envelope, binding)).rejects.toThrow(/sealed to key/);
    await expect(
      openResultKeyFile(new Uint8Array(await readFile(file)), 'not the passphrase'),
    ).rejects.toThrow(/wrong passphrase/);
  });

  it('never overwrites a key file and then registers nothing', async () => {
    const before = await readFile(file);
    const ledger = await countRows(t, 'ledger_entries');
    const again = await cli(buyer, ['keys', 'init', '--for', 'results', '--out', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; a key file is never overwritten/);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect(await countRows(t, 'ledger_entries')).toBe(ledger);
  });

  it('takes the passphrase from stdin when the environment has none, and refuses a short one', async () => {
    const piped = join(dir, 'piped.key');
    const made = await cli(
      buyer,
      ['keys', 'init', '--for', 'results', '--out', piped],
      {
        EXCHANGE_KEY_PASSPHRASE: '',
      },
      `${PASSPHRASE}\n`,
    );
    expect(made.code).toBe(0);
    const pair = await openResultKeyFile(new Uint8Array(await readFile(piped)), PASSPHRASE);
    expect(JSON.parse(made.stdout)).toMatchObject({
      keyId: resultKeyId(pair.publicKey),
      previousKeyId: readResultKeyFileHeader(new Uint8Array(await readFile(file))).keyId,
    });
    const short = await cli(buyer, ['keys', 'init', '--for', 'results', '--out', join(dir, 'short.key')], {
      EXCHANGE_KEY_PASSPHRASE: 'too short',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    await expect(stat(join(dir, 'short.key'))).rejects.toThrow(/ENOENT/);
  });

  it('keeps the file when the exchange refuses the registration (a merchant), and says how to register later', async () => {
    const kept = join(dir, 'merchant.key');
    const made = await cli(merchant, ['keys', 'init', '--for', 'results', '--out', kept]);
    expect(made.code).toBe(1);
    expect(made.stderr).toMatch(/keys register: 403/);
    expect(made.stderr).toContain(`exchange keys register --for results --file ${kept}`);
    expect((await stat(kept)).mode & 0o777).toBe(0o600);
  });
});

describe('exchange keys register and show --for results', () => {
  it('registers an existing file again and shows whether a file is the registered key', async () => {
    const file = join(dir, 'buyer.key');
    const header = readResultKeyFileHeader(new Uint8Array(await readFile(file)));
    const registered = await cli(buyer, ['keys', 'register', '--for', 'results', '--file', file]);
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({ keyId: header.keyId });
    const shown = await cli(buyer, ['keys', 'show', '--for', 'results', '--file', file]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      registered: { keyId: header.keyId, organisationId: buyer.organisationId },
      file: { keyId: header.keyId },
      fileIsRegisteredKey: true,
    });
    const other = await cli(buyer, ['keys', 'show', '--for', 'results', '--file', join(dir, 'piped.key')]);
    expect(JSON.parse(other.stdout).fileIsRegisteredKey).toBe(false);
    const plain = await cli(buyer, ['keys', 'show', '--for', 'results']);
    expect(JSON.parse(plain.stdout)).toMatchObject({ keyId: header.keyId });
  });

  it('refuses a wrong passphrase and a use it does not know', async () => {
    const wrong = await cli(
      buyer,
      ['keys', 'register', '--for', 'results', '--file', join(dir, 'buyer.key')],
      {
        EXCHANGE_KEY_PASSPHRASE: 'not the passphrase at all',
      },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong passphrase/);
    const unknown = await cli(buyer, ['keys', 'init', '--for', 'mining', '--out', join(dir, 'x.key')]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/Allowed choices are data, results/);
  });
});
