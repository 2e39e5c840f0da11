import type { SecretKeyMaterial } from './key-generation.js';
import { KEYSTORE_MAGIC } from './keystore-format.js';
import { getParamSet } from './param-sets.js';
import { openUnderPassphrase, sealUnderPassphrase } from './passphrase-box.js';

/**
 * SECRET. Encrypts a full key set under a passphrase (`sealUnderPassphrase`: scrypt N=2^15,r=8,p=1 → AES-256-GCM;
 * the header is authenticated as associated data). Layout: magic | salt(16) | iv(12) | tag(16) | len(4)
 * | json-header | ciphertext of the concatenated keys.
 */
export async function sealSecretKey(keys: SecretKeyMaterial, passphrase: string): Promise<Uint8Array> {
  const parts = [keys.secretKey, keys.publicKey, keys.relinKeys, keys.galoisKeys];
  const header = {
    paramSet: keys.paramSet,
    galoisSteps: keys.galoisSteps,
    lengths: parts.map((p) => p.length),
  };
  const joined = Buffer.concat(parts);
  try {
    return await sealUnderPassphrase(KEYSTORE_MAGIC, header, joined, passphrase);
  } finally {
    joined.fill(0);
  }
}

/** SECRET. Opens a key file made by `sealSecretKey`; throws on a wrong passphrase or any modification. */
export async function openSecretKey(file: Uint8Array, passphrase: string): Promise<SecretKeyMaterial> {
  const { header, secret: plain } = await openUnderPassphrase(KEYSTORE_MAGIC, file, passphrase);
  const meta = header as { paramSet: string; galoisSteps: number[]; lengths: number[] };
  const paramSet = getParamSet(meta.paramSet).id;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const len of meta.lengths) {
    parts.push(plain.slice(at, at + len));
    at += len;
  }
  plain.fill(0);
  const [secretKey, publicKey, relinKeys, galoisKeys] = parts as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  return { paramSet, secretKey, publicKey, relinKeys, galoisKeys, galoisSteps: meta.galoisSteps };
}
