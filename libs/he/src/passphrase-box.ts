import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** The shortest passphrase a key file accepts. */
export const MIN_PASSPHRASE_LENGTH = 12;

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
 * SECRET. The one at-rest format for secret keys on a party's own machine: scrypt (N=2^15, r=8, p=1) derives an
 * AES-256-GCM key from the passphrase; the magic, salt, iv and JSON header are authenticated as associated data.
 * Layout: magic | salt(16) | iv(12) | tag(16) | len(4) | json-header | ciphertext of `secret`. Precondition: the
 * passphrase comes from the user (environment or prompt) and is never logged; `magic` names what the file holds.
 */
export async function sealUnderPassphrase(
  magic: Uint8Array,
  header: unknown,
  secret: Uint8Array,
  passphrase: string,
): Promise<Uint8Array> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    throw new Error(`passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt);
  const headerBytes = Buffer.from(JSON.stringify(header));
  const aad = Buffer.concat([magic, salt, iv, u32(headerBytes.length), headerBytes]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  key.fill(0);
  const tag = cipher.getAuthTag();
  return new Uint8Array(Buffer.concat([magic, salt, iv, tag, u32(headerBytes.length), headerBytes, body]));
}

/**
 * SECRET. Opens a file made by `sealUnderPassphrase` with the same `magic`: its header and secret bytes (the
 * caller zeroes them when done). Throws on another magic, a wrong passphrase or any modification.
 */
export async function openUnderPassphrase(
  magic: Uint8Array,
  file: Uint8Array,
  passphrase: string,
): Promise<{ header: unknown; secret: Uint8Array }> {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const m = magic.length;
  if (buf.length < m + 48 || !buf.subarray(0, m).equals(magic)) throw new Error('not a key file');
  const salt = buf.subarray(m, m + 16);
  const iv = buf.subarray(m + 16, m + 28);
  const tag = buf.subarray(m + 28, m + 44);
  const headerLength = buf.readUInt32BE(m + 44);
  if (m + 48 + headerLength > buf.length) throw new Error('not a key file');
  const header = buf.subarray(m + 48, m + 48 + headerLength);
  const body = buf.subarray(m + 48 + headerLength);
  const aad = Buffer.concat([magic, salt, iv, u32(headerLength), header]);
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
  return { header: JSON.parse(header.toString('utf8')) as unknown, secret: new Uint8Array(plain) };
}
