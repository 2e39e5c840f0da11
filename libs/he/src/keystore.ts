import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import type { SecretKeyMaterial } from './key-generation.js';
import { KEYSTORE_MAGIC } from './keystore-format.js';
import { getParamSet } from './param-sets.js';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function deriveKey(passphrase: string, salt: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFKC'), salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/**
 * SECRET. Encrypts a full key set under a passphrase (scrypt N=2^15,r=8,p=1 → AES-256-GCM; the
 * header is authenticated as associated data). Layout: magic | salt(16) | iv(12) | tag(16) | len(4)
 * | json-header | ciphertext of the concatenated keys.
 */
export async function sealSecretKey(keys: SecretKeyMaterial, passphrase: string): Promise<Uint8Array> {
  if (passphrase.length < 12) throw new Error('passphrase must be at least 12 characters');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt);
  const parts = [keys.secretKey, keys.publicKey, keys.relinKeys, keys.galoisKeys];
  const header = Buffer.from(
    JSON.stringify({
      paramSet: keys.paramSet,
      galoisSteps: keys.galoisSteps,
      lengths: parts.map((p) => p.length),
    }),
  );
  const aad = Buffer.concat([KEYSTORE_MAGIC, salt, iv, u32(header.length), header]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(Buffer.concat(parts)), cipher.final()]);
  key.fill(0);
  const tag = cipher.getAuthTag();
  return new Uint8Array(Buffer.concat([KEYSTORE_MAGIC, salt, iv, tag, u32(header.length), header, body]));
}

/** SECRET. Opens a key file made by `sealSecretKey`; throws on a wrong passphrase or any modification. */
export async function openSecretKey(file: Uint8Array, passphrase: string): Promise<SecretKeyMaterial> {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const m = KEYSTORE_MAGIC.length;
  if (buf.length < m + 48 || !buf.subarray(0, m).equals(KEYSTORE_MAGIC)) throw new Error('not a key file');
  const salt = buf.subarray(m, m + 16);
  const iv = buf.subarray(m + 16, m + 28);
  const tag = buf.subarray(m + 28, m + 44);
  const headerLength = buf.readUInt32BE(m + 44);
  const header = buf.subarray(m + 48, m + 48 + headerLength);
  const body = buf.subarray(m + 48 + headerLength);
  const aad = Buffer.concat([KEYSTORE_MAGIC, salt, iv, u32(headerLength), header]);
  const key = await deriveKey(passphrase, salt);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new Error('key file: wrong passphrase or corrupted file');
  } finally {
    key.fill(0);
  }
  const meta = JSON.parse(header.toString('utf8')) as {
    paramSet: string;
    galoisSteps: number[];
    lengths: number[];
  };
  const paramSet = getParamSet(meta.paramSet).id;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const len of meta.lengths) {
    parts.push(new Uint8Array(plain.subarray(at, at + len)));
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
