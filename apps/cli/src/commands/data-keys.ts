import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { generateKeys, openSecretKey, sealSecretKey, type SecretKeyMaterial } from '@app/he';
import { getParamSet, PARAM_SETS } from '@app/he/evaluation';
import { readSecret } from '../prompt.js';

/** The passphrase of a merchant's HE key file: from this variable, else asked for (never from argv). */
export const KEY_PASSPHRASE_ENV = 'EXCHANGE_KEY_PASSPHRASE';
const MIN_PASSPHRASE = 12;

export const DATA_KEYS_HELP = `
--for data (the default) makes the merchant's homomorphic key set for one parameter set
(default bfv-8192-t50: integer and decimal columns; ckks-8192-d1 / ckks-8192-d2 for real
columns): the secret key, the public key, the relinearisation keys and the slot-sum Galois
keys. All of it is sealed in --out under a passphrase (scrypt, AES-256-GCM; @app/he's keystore),
mode 0600; an existing file is never overwritten. The passphrase comes from
${KEY_PASSPHRASE_ENV} or is asked for (twice on a terminal), at least ${MIN_PASSPHRASE} characters.
The secret key never leaves this file: \`exchange dataset upload --keys <file>\` opens it to
encrypt and sends only the public and evaluation keys. Prints the file, the parameter set and the
SHA-256 of the public keys; never a secret.`;

/** The passphrase of a key file: EXCHANGE_KEY_PASSPHRASE or a prompt. */
export async function keyPassphrase(question: string): Promise<string> {
  const fromEnv = process.env[KEY_PASSPHRASE_ENV];
  const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : await readSecret(question);
  if (!value) throw new Error(`no passphrase: set ${KEY_PASSPHRASE_ENV} or type it when asked`);
  return value;
}

/** SECRET. Opens a key file written by `exchange keys init`; a wrong passphrase or a damaged file is said plainly. */
export async function openKeyFile(file: string): Promise<SecretKeyMaterial> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(`cannot read the key file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const passphrase = await keyPassphrase(`passphrase of ${file}: `);
  try {
    return await openSecretKey(bytes, passphrase);
  } catch {
    throw new Error(
      `cannot open the key file ${file}: wrong passphrase, or not a key file of exchange keys init`,
    );
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** SECRET side. `exchange keys init --for data`: the merchant's HE key set, sealed under a passphrase in `out`. */
export async function initDataKeys(options: { out: string; paramSet: string }): Promise<void> {
  if (!Object.hasOwn(PARAM_SETS, options.paramSet)) {
    throw new Error(`--param-set must be one of ${Object.keys(PARAM_SETS).join(', ')}`);
  }
  const paramSet = getParamSet(options.paramSet).id;
  if (await stat(options.out).catch(() => null)) {
    throw new Error(`${options.out} exists; a key file is never overwritten`);
  }
  const passphrase = await keyPassphrase(`passphrase for the new key file (${MIN_PASSPHRASE}+ characters): `);
  if (passphrase.length < MIN_PASSPHRASE)
    throw new Error(`the passphrase must have at least ${MIN_PASSPHRASE} characters`);
  if (process.stdin.isTTY && !process.env[KEY_PASSPHRASE_ENV]) {
    if ((await readSecret('the same passphrase again: ')) !== passphrase)
      throw new Error('the two passphrases differ; nothing was written');
  }
  const keys = await generateKeys(paramSet);
  const sealed = await sealSecretKey(keys, passphrase);
  keys.secretKey.fill(0);
  try {
    await writeFile(options.out, sealed, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EEXIST'
        ? `${options.out} exists; a key file is never overwritten`
        : `cannot write ${options.out}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  console.log(
    JSON.stringify(
      {
        for: 'data',
        keyFile: options.out,
        paramSet,
        publicKeySha256: sha256(keys.publicKey),
        relinKeysSha256: sha256(keys.relinKeys),
        galoisKeysSha256: sha256(keys.galoisKeys),
      },
      null,
      2,
    ),
  );
}
