import { readFile, writeFile } from 'node:fs/promises';
import { Wallet, type HDNodeWallet, type TypedDataField } from 'ethers';
import type { Command } from 'commander';
import { termsFromJson, termsHash, type TermsJson } from '@app/trading/core';
import { ApiClient } from '../api-client.js';
import { report } from '../report.js';
import { readSecret } from '../prompt.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PASSWORD_ENV = 'EXCHANGE_KEYSTORE_PASSWORD';
const MIN_PASSWORD = 12;

const KEYSTORE_HELP = `
The key never leaves this machine: the keystore is the Ethereum JSON keystore (scrypt, AES-128-CTR) any
wallet imports. The password comes from ${PASSWORD_ENV}, else it is asked for (not echoed; on a pipe,
the first line of stdin). Neither the password nor the key is ever printed.`;

const SIGN_HELP = `
Fetches the contract, checks that the typed data states the same terms as the contract (recomputing their
hash), prints what is being signed on stderr, signs the EIP-712 typed data with the keystore's key
(what eth_signTypedData_v4 would sign) and sends the signature. The keystore's address must be your
organisation's registered signing address (see \`exchange signing-address register\`).
Uses EXCHANGE_API_URL and EXCHANGE_TOKEN; the password as for \`exchange keystore new\`.`;

function contractId(id: string): string {
  if (!UUID.test(id)) throw new Error(`${id} is not a contract id (a UUID)`);
  return id.toLowerCase();
}

async function password(question: string): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : await readSecret(question);
  if (!value) throw new Error(`no keystore password: set ${PASSWORD_ENV} or type it when asked`);
  return value;
}

/** The keystore's wallet; a wrong password or a file that is not a keystore is said plainly. */
async function openKeystore(file: string): Promise<Wallet | HDNodeWallet> {
  let json: string;
  try {
    json = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the keystore ${file}: ${(error as Error).message}`, { cause: error });
  }
  const secret = await password(`password of ${file}: `);
  try {
    return await Wallet.fromEncryptedJson(json, secret);
  } catch {
    throw new Error(`cannot open the keystore ${file}: wrong password, or not an Ethereum JSON keystore`);
  }
}

export function keystoreCommands(program: Command): void {
  const keystore = program.command('keystore').description('make a local key to sign contracts with');
  keystore
    .command('new')
    .description('make a new key and write it, encrypted, to a keystore file; prints its address')
    .requiredOption('--out <file>', 'where to write the keystore (never overwritten)')
    .addHelpText('after', KEYSTORE_HELP)
    .action(async (options: { out: string }) => {
      const secret = await password(`password for the new keystore (${MIN_PASSWORD}+ characters): `);
      if (secret.length < MIN_PASSWORD)
        throw new Error(`the keystore password must have at least ${MIN_PASSWORD} characters`);
      if (process.stdin.isTTY && process.env[PASSWORD_ENV] === undefined) {
        if ((await readSecret('the same password again: ')) !== secret)
          throw new Error('the two passwords differ; nothing was written');
      }
      const wallet = Wallet.createRandom();
      const json = await wallet.encrypt(secret);
      try {
        await writeFile(options.out, json, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(
          code === 'EEXIST'
            ? `${options.out} exists; a keystore is never overwritten`
            : `cannot write ${options.out}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      console.log(JSON.stringify({ address: wallet.address, keystore: options.out }, null, 2));
    });
}

export function signingAddressCommands(program: Command): void {
  const group = program
    .command('signing-address')
    .description("register and show your organisation's contract signing address");
  group
    .command('register')
    .description('prove possession of a keystore’s key by signing a challenge, and register its address')
    .requiredOption('--keystore <file>', 'the keystore (see `exchange keystore new`)')
    .addHelpText(
      'after',
      `
Fetches a challenge (GET /v1/signing-address/challenge), signs it with personal_sign (EIP-191) and
registers the address (POST /v1/signing-address); it replaces your organisation's previous address.
Uses EXCHANGE_API_URL and EXCHANGE_TOKEN (a merchant's or buyer's); the password as for \`keystore new\`.`,
    )
    .action(async (options: { keystore: string }) => {
      const wallet = await openKeystore(options.keystore);
      const api = new ApiClient();
      const challenge = await api.get('/v1/signing-address/challenge');
      if (challenge.status !== 200) {
        report('signing-address challenge', challenge);
        return;
      }
      const message = (challenge.body as { message: string }).message;
      console.error(`signing this challenge with ${wallet.address}:\n${message}\n`);
      const signature = await wallet.signMessage(message);
      report(
        'signing-address register',
        await api.post('/v1/signing-address', { address: wallet.address, signature }),
      );
    });
  group
    .command('show')
    .description("show your organisation's signing address")
    .action(async () => {
      report('signing-address show', await new ApiClient().get('/v1/signing-address'));
    });
}

export interface ServedContract {
  id: string;
  state: string;
  terms: TermsJson;
  termsHash: string;
  amountFen: string;
  clauses: { code: string; article: string }[];
  escrow?: string;
  endReason?: string | null;
  endsAt?: string | null;
  signatures?: Record<'buyer' | 'merchant' | 'platform', { signer: string; signedAt: string | null } | null>;
  typedData: {
    domain: { name: string; version: string };
    types: Record<string, TypedDataField[]>;
    primaryType: string;
    message: Record<string, unknown>;
  };
}

/**
 * Refuses typed data that does not state the contract's terms: the hash recomputed from the terms must be the
 * one in the message, and each term in the message must be the contract's. What is shown is then what is signed.
 */
export function checkTypedData(c: ServedContract): void {
  const m = c.typedData.message;
  const recomputed = termsHash(termsFromJson(c.terms));
  const problems: string[] = [];
  if (recomputed !== c.termsHash) problems.push(`the terms hash to ${recomputed}, not ${c.termsHash}`);
  if (m.termsHash !== c.termsHash) problems.push(`the typed data states termsHash ${String(m.termsHash)}`);
  if (m.contractId !== c.id) problems.push(`the typed data names contract ${String(m.contractId)}`);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const [field, value] of Object.entries({
    purpose: c.terms.purpose,
    columns: c.terms.columns,
    recipes: c.terms.recipes,
    delivery: c.terms.delivery,
    billingUnit: c.terms.billingUnit,
    priceFen: c.terms.priceFen,
    periodDays: c.terms.periodDays,
    computations: c.terms.computations ?? 0,
    amountFen: c.amountFen,
  }))
    if (!same(m[field], value)) problems.push(`the typed data's ${field} differs from the contract's`);
  if (c.typedData.primaryType !== 'DataContract' || !c.typedData.types.DataContract)
    problems.push('the typed data is not a DataContract');
  if (problems.length) throw new Error(`refusing to sign contract ${c.id}: ${problems.join('; ')}`);
}

const fen = (value: string): string => {
  const n = BigInt(value);
  return `${n / 100n}.${String(n % 100n).padStart(2, '0')} 元 (${value} fen)`;
};

function summary(c: ServedContract): string[] {
  const m = c.typedData.message;
  const t = c.terms;
  return [
    `contract ${c.id} (${c.state}${c.endReason ? `: ${c.endReason}` : ''})`,
    `  buyer        ${String(m.buyer)}`,
    `  merchant     ${String(m.merchant)}`,
    `  listing      ${String(m.listingId)}  (negotiation ${String(m.negotiationId)}, version ${String(m.version)})`,
    `  purpose      ${t.purpose}`,
    `  columns      ${t.columns.join(', ') || '—'}`,
    `  recipes      ${t.recipes.join(', ') || '—'}`,
    `  delivery     ${t.delivery}, billed ${t.billingUnit}` +
      (t.billingUnit === 'per-computation' ? ` × ${t.computations ?? 0} computations` : ''),
    `  price        ${fen(t.priceFen)}; in all ${fen(c.amountFen)}`,
    `  period       ${t.periodDays} days`,
    `  clauses      ${c.clauses.map((k) => `${k.code} (${k.article})`).join(', ') || '—'}`,
    `  termsHash    ${c.termsHash}`,
  ];
}

/** What a person reads of a contract: its terms, then who signed, the escrow and when access ends. */
function shown(c: ServedContract): string {
  const signature = (side: 'buyer' | 'merchant' | 'platform') => {
    const s = c.signatures?.[side];
    return s ? `${s.signer}${s.signedAt ? ` at ${s.signedAt}` : ''}` : 'not yet';
  };
  return [
    ...summary(c),
    `  signed       buyer ${signature('buyer')}`,
    `               merchant ${signature('merchant')}`,
    `               exchange ${signature('platform')}`,
    `  escrow       ${c.escrow ?? '—'}`,
    c.state === 'ended'
      ? '  access       ended with the contract'
      : `  access until ${c.endsAt ?? '— (not funded yet)'}`,
  ].join('\n');
}

export function contractCommands(program: Command): void {
  const contract = program.command('contract').description('show and sign contracts');
  contract
    .command('show')
    .description(
      'show a contract: its terms, the signatures so far, the escrow (--json: all of it, typed data too)',
    )
    .argument('<id>', 'the contract id')
    .option('--json', 'print the contract as the API answers it')
    .action(async (id: string, options: { json?: boolean }) => {
      const reply = await new ApiClient().get(`/v1/contracts/${contractId(id)}`);
      if (options.json || reply.status !== 200) report('contract show', reply);
      else console.log(shown(reply.body as ServedContract));
    });
  contract
    .command('sign')
    .description("sign a contract's EIP-712 typed data with a keystore's key and send the signature")
    .argument('<id>', 'the contract id')
    .requiredOption('--keystore <file>', 'the keystore of your organisation’s signing address')
    .addHelpText('after', SIGN_HELP)
    .action(async (id: string, options: { keystore: string }) => {
      const api = new ApiClient();
      const path = `/v1/contracts/${contractId(id)}`;
      const reply = await api.get(path);
      if (reply.status !== 200) {
        report('contract sign', reply);
        return;
      }
      const served = reply.body as ServedContract;
      checkTypedData(served);
      const wallet = await openKeystore(options.keystore);
      console.error(
        [
          ...summary(served),
          `signing as ${wallet.address} (EIP-712 ${served.typedData.domain.name} v${served.typedData.domain.version})`,
        ].join('\n'),
      );
      const { domain, types, message } = served.typedData;
      const signature = await wallet.signTypedData(domain, types, message);
      report('contract sign', await api.post(`${path}/signatures`, { signature }));
    });
}
