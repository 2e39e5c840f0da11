import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  generateResultKeyPair,
  openResultKeyFile,
  readResultKeyFileHeader,
  resultKeyId,
  sealResultKeyFile,
  toBase64Url,
  type ResultKeyPair,
} from '@app/results/core';
import { PARAM_SETS } from '@app/he/evaluation';
import { ApiClient } from '../api-client.js';
import { report } from '../report.js';
import { DATA_KEYS_HELP, initDataKeys } from './data-keys.js';
import { readSecret } from '../prompt.js';

const PASSPHRASE_ENV = 'EXCHANGE_KEY_PASSPHRASE';
const MIN_PASSPHRASE = 12;
const DEFAULT_RESULT_KEY_FILE = 'exchange-result.key';
const DEFAULT_DATA_KEY_FILE = 'exchange-data.hekeys';

const KEYS_HELP = `
--for results: the buyer's HPKE (RFC 9180) key pair, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM.
Released results are sealed to its public key; only this file (and its passphrase) opens them, on this
machine. The private key is written sealed under a passphrase (scrypt, AES-256-GCM; the HE keystore's
format) with mode 0600, never overwritten and never printed. The passphrase comes from ${PASSPHRASE_ENV},
else it is asked for (not echoed; on a pipe, the first line of stdin).
Uses EXCHANGE_API_URL and EXCHANGE_TOKEN (a buyer's).`;

async function passphrase(question: string): Promise<string> {
  const fromEnv = process.env[PASSPHRASE_ENV];
  const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : await readSecret(question);
  if (!value) throw new Error(`no passphrase: set ${PASSPHRASE_ENV} or type it when asked`);
  return value;
}

async function readKeyFile(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new Error(`cannot read the key file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** The key pair of a result key file, opened with the passphrase; a wrong one or another file is said plainly. */
export async function openKeyFile(file: string): Promise<ResultKeyPair> {
  const bytes = await readKeyFile(file);
  const secret = await passphrase(`passphrase of ${file}: `);
  try {
    return await openResultKeyFile(bytes, secret);
  } catch (error) {
    throw new Error(`cannot open ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** Registers the public key; the file is kept whatever the answer. */
async function register(file: string, publicKey: Uint8Array): Promise<void> {
  const reply = await new ApiClient().post('/v1/result-keys', { publicKey: toBase64Url(publicKey) });
  if (!report('keys register', reply))
    console.error(
      `exchange: the key file ${file} is kept; register it later with ` +
        `\`exchange keys register --for results --file ${file}\``,
    );
}

const forOption = () =>
  new Option('--for <use>', 'what the key is for').choices(['results']).makeOptionMandatory();

export function keysCommands(program: Command): void {
  const keys = program.command('keys').description('make and register your own keys');
  keys
    .command('init')
    .description(
      'make a key set on this machine, sealed under a passphrase: --for data (the default), the HE keys you ' +
        'encrypt datasets with; --for results, the key pair results are sealed to (its public key is registered)',
    )
    .addOption(
      new Option('--for <use>', 'what the keys are for').choices(['data', 'results']).default('data'),
    )
    .option(
      '--out <file>',
      `where to write the key file (never overwritten; default ${DEFAULT_DATA_KEY_FILE} or ${DEFAULT_RESULT_KEY_FILE})`,
    )
    .option(
      '--param-set <id>',
      `--for data: the parameter set (${Object.keys(PARAM_SETS).join(', ')})`,
      'bfv-8192-t50',
    )
    .addHelpText('after', `${DATA_KEYS_HELP}\n${KEYS_HELP}`)
    .action(async (options: { for: 'data' | 'results'; out?: string; paramSet: string }) => {
      if (options.for === 'data')
        return initDataKeys({ out: options.out ?? DEFAULT_DATA_KEY_FILE, paramSet: options.paramSet });
      const out = options.out ?? DEFAULT_RESULT_KEY_FILE;
      const secret = await passphrase(`passphrase for the new key file (${MIN_PASSPHRASE}+ characters): `);
      if (secret.length < MIN_PASSPHRASE)
        throw new Error(`the passphrase must have at least ${MIN_PASSPHRASE} characters`);
      if (process.stdin.isTTY && process.env[PASSPHRASE_ENV] === undefined) {
        if ((await readSecret('the same passphrase again: ')) !== secret)
          throw new Error('the two passphrases differ; nothing was written');
      }
      const pair = await generateResultKeyPair();
      const sealed = await sealResultKeyFile(pair, secret);
      pair.privateKey.fill(0);
      try {
        await writeFile(out, sealed, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(
          code === 'EEXIST'
            ? `${out} exists; a key file is never overwritten (nothing was registered)`
            : `cannot write ${out}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      console.error(
        `wrote ${out} (key ${resultKeyId(pair.publicKey)}); keep it and its passphrase: ` +
          'results sealed to this key open with nothing else',
      );
      await register(out, pair.publicKey);
    });
  keys
    .command('register')
    .description(
      'register the public key of an existing key file (after `keys init` could not reach the exchange)',
    )
    .addOption(forOption())
    .requiredOption('--file <file>', 'the key file made by `exchange keys init`')
    .addHelpText('after', KEYS_HELP)
    .action(async (options: { for: 'results'; file: string }) => {
      const pair = await openKeyFile(options.file);
      pair.privateKey.fill(0);
      await register(options.file, pair.publicKey);
    });
  keys
    .command('show')
    .description("show your organisation's registered key and, with --file, whether a key file is that key")
    .addOption(forOption())
    .option('--file <file>', 'a key file to compare (read without the passphrase)')
    .action(async (options: { for: 'results'; file?: string }) => {
      const reply = await new ApiClient().get('/v1/result-keys/mine');
      if (!options.file) {
        report('keys show', reply);
        return;
      }
      const header = readResultKeyFileHeader(await readKeyFile(options.file));
      const registered = reply.status === 200 ? (reply.body as { keyId: string | null }) : null;
      console.log(
        JSON.stringify(
          {
            registered: reply.status === 200 ? reply.body : null,
            file: { path: options.file, publicKey: header.publicKey, keyId: header.keyId },
            fileIsRegisteredKey: registered !== null && registered.keyId === header.keyId,
          },
          null,
          2,
        ),
      );
      if (reply.status !== 200) report('keys show', reply);
    });
}
