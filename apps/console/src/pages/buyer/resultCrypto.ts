/**
 * The buyer's result key in the browser, and the opening of a sealed result (`exchange-result/1`, docs/result-keys.md).
 *
 * `@app/results/core` seals and opens with node:crypto (key ids, base64url, the public half of a private key), so
 * the opening is written again here with @hpke/core and WebCrypto; the journey test checks that what this opens is
 * what the server side sealed. The private key is a non-extractable CryptoKey in IndexedDB: script on the page can
 * use it to open, never read it out, and it is never sent anywhere.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import canonicalize from 'canonicalize';
import { scrypt } from 'ethers';

export const RESULT_ENVELOPE_FORMAT = 'exchange-result/1';
const SUITE = { kem: 0x0020, kdf: 0x0001, aead: 0x0002 } as const;
const DB_NAME = 'dx-result-keys';
const STORE = 'keys';

/** A result key kept in this browser: the private half cannot be exported. */
export interface StoredResultKey {
  keyId: string;
  publicKey: string;
  privateKey: CryptoKey;
  publicCryptoKey: CryptoKey;
  createdAt: string;
  source: 'browser' | 'file';
}

export interface ResultEnvelope {
  format: string;
  suite: { kem: number; kdf: number; aead: number };
  keyId: string;
  computationId: string;
  contractId: string;
  enc: string;
  ciphertext: string;
}

/** Why a result did not open; the code is the one `openResult` of @app/results/core uses. */
export class OpenError extends Error {
  constructor(
    readonly code:
      | 'malformed_envelope'
      | 'unsupported_format'
      | 'wrong_binding'
      | 'wrong_key'
      | 'not_authentic'
      | 'no_key',
    message: string,
  ) {
    super(message);
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url (no padding, canonical): the bytes, or null. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return toBase64Url(bytes) === text ? bytes : null;
}

/** `x25519:` and the SHA-256 (hex) of the raw public key, as `resultKeyId` of @app/results/core. */
export async function resultKeyId(publicKey: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', publicKey as BufferSource));
  return `x25519:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const suite = () =>
  new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });

// ---- IndexedDB: CryptoKeys are stored by structured clone, non-extractable ones included ----

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'keyId' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB'));
  });
}

async function inStore<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB'));
    });
  } finally {
    db.close();
  }
}

export const listStoredKeys = (): Promise<StoredResultKey[]> =>
  inStore('readonly', (s) => s.getAll() as IDBRequest<StoredResultKey[]>);

export const findStoredKey = (keyId: string): Promise<StoredResultKey | undefined> =>
  inStore('readonly', (s) => s.get(keyId) as IDBRequest<StoredResultKey | undefined>);

export const deleteStoredKey = (keyId: string): Promise<undefined> =>
  inStore('readwrite', (s) => s.delete(keyId));

const putStoredKey = (key: StoredResultKey) => inStore('readwrite', (s) => s.put(key));

async function keep(privateKey: CryptoKey, publicCryptoKey: CryptoKey, source: StoredResultKey['source']) {
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', publicCryptoKey));
  const stored: StoredResultKey = {
    keyId: await resultKeyId(raw),
    publicKey: toBase64Url(raw),
    privateKey,
    publicCryptoKey,
    createdAt: new Date().toISOString(),
    source,
  };
  await putStoredKey(stored);
  return stored;
}

/** SECRET. A fresh X25519 key pair made in this browser; the private half is created non-extractable. */
export async function createBrowserKey(): Promise<StoredResultKey> {
  const pair = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  return keep(pair.privateKey, pair.publicKey, 'browser');
}

const PKCS8_X25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const KEY_FILE_MAGIC = Uint8Array.from([0x58, 0x52, 0x53, 0x4b, 0x01]);

/**
 * SECRET. Opens the CLI's key file (`exchange keys init`: magic XRSK\x01 | salt | iv | tag | len | header | body,
 * scrypt N=2^15 r=8 p=1 → AES-256-GCM, the header authenticated) with its passphrase, checks that the private key's
 * public half is the header's, and keeps the private key as a non-extractable CryptoKey. The raw bytes are zeroed.
 */
export async function importKeyFile(file: Uint8Array, passphrase: string): Promise<StoredResultKey> {
  const m = KEY_FILE_MAGIC.length;
  if (file.length < m + 48 || KEY_FILE_MAGIC.some((b, i) => file[i] !== b)) throw new Error('not_key_file');
  const salt = file.slice(m, m + 16);
  const iv = file.slice(m + 16, m + 28);
  const tag = file.slice(m + 28, m + 44);
  const headerLength = new DataView(file.buffer, file.byteOffset).getUint32(m + 44);
  if (m + 48 + headerLength > file.length) throw new Error('not_key_file');
  const header = file.slice(m + 48, m + 48 + headerLength);
  const body = file.slice(m + 48 + headerLength);
  // Authenticated: magic | salt | iv | len | header (the tag, between iv and len in the file, is not).
  const aad = new Uint8Array(m + 32 + headerLength);
  aad.set(file.subarray(0, m + 28));
  aad.set(file.subarray(m + 44, m + 48 + headerLength), m + 28);
  const derived = scrypt(utf8(passphrase.normalize('NFKC')), salt, 2 ** 15, 8, 1, 32);
  const keyBytes = fromHex(await derived);
  const aes = await crypto.subtle.importKey('raw', keyBytes as BufferSource, 'AES-GCM', false, ['decrypt']);
  keyBytes.fill(0);
  let secret: Uint8Array;
  try {
    const sealed = new Uint8Array(body.length + 16);
    sealed.set(body);
    sealed.set(tag, body.length);
    secret = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, aes, sealed),
    );
  } catch {
    throw new Error('wrong_passphrase');
  }
  const h = JSON.parse(new TextDecoder().decode(header)) as { kind?: string; publicKey?: string };
  if (h.kind !== 'x25519-result-key' || secret.length !== 32 || !h.publicKey) throw new Error('not_key_file');
  const pkcs8 = new Uint8Array(PKCS8_X25519_PREFIX.length + 32);
  pkcs8.set(PKCS8_X25519_PREFIX);
  pkcs8.set(secret, PKCS8_X25519_PREFIX.length);
  secret.fill(0);
  try {
    // Once extractable, only to learn the public half (WebCrypto has no "public key of" for X25519) …
    const probe = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, true, ['deriveBits']);
    const jwk = await crypto.subtle.exportKey('jwk', probe);
    if (jwk.x !== h.publicKey) throw new Error('key_mismatch');
    // … then kept non-extractable.
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, [
      'deriveBits',
    ]);
    const publicCryptoKey = await crypto.subtle.importKey(
      'raw',
      fromBase64Url(h.publicKey) as BufferSource,
      { name: 'X25519' },
      true,
      [],
    );
    return await keep(privateKey, publicCryptoKey, 'file');
  } finally {
    pkcs8.fill(0);
  }
}

function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}

// ---- opening a sealed result ----

const infoOf = (b: { computationId: string; contractId: string }) =>
  utf8(
    canonicalize({
      format: RESULT_ENVELOPE_FORMAT,
      computationId: b.computationId,
      contractId: b.contractId,
    }) ?? '',
  );

const aadOf = (e: ResultEnvelope) =>
  utf8(
    canonicalize({
      format: e.format,
      suite: e.suite,
      keyId: e.keyId,
      computationId: e.computationId,
      contractId: e.contractId,
    }) ?? '',
  );

/** The key id an envelope is sealed to, or a malformed/unsupported error. */
export function parseEnvelope(value: unknown): ResultEnvelope {
  const e = value as Partial<ResultEnvelope> | null;
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    throw new OpenError('malformed_envelope', 'not an object');
  if (e.format !== RESULT_ENVELOPE_FORMAT) throw new OpenError('unsupported_format', String(e.format));
  const s = e.suite;
  if (!s || s.kem !== SUITE.kem || s.kdf !== SUITE.kdf || s.aead !== SUITE.aead)
    throw new OpenError('unsupported_format', 'suite');
  for (const field of ['keyId', 'enc', 'ciphertext', 'computationId', 'contractId'] as const)
    if (typeof e[field] !== 'string') throw new OpenError('malformed_envelope', field);
  return e as ResultEnvelope;
}

/**
 * SECRET. Opens a sealed result with a key kept in this browser, for the computation and contract the buyer asked
 * about (never the ids the envelope states): the plaintext bytes. Same refusals as `openResult` of @app/results/core.
 */
export async function openResultInBrowser(
  envelope: unknown,
  expected: { computationId: string; contractId: string },
): Promise<Uint8Array> {
  const e = parseEnvelope(envelope);
  if (e.computationId !== expected.computationId || e.contractId !== expected.contractId)
    throw new OpenError('wrong_binding', `${e.computationId} / ${e.contractId}`);
  const key = await findStoredKey(e.keyId);
  if (!key) throw new OpenError('no_key', e.keyId);
  if ((await resultKeyId(fromBase64Url(key.publicKey) ?? new Uint8Array())) !== e.keyId)
    throw new OpenError('wrong_key', e.keyId);
  const enc = fromBase64Url(e.enc);
  const ct = fromBase64Url(e.ciphertext);
  if (!enc || enc.length !== 32 || !ct) throw new OpenError('malformed_envelope', 'enc/ciphertext');
  const s = suite();
  try {
    const pt = await s.open(
      // The pair, not the private key alone: the library cannot derive the public half of a non-extractable key.
      {
        recipientKey: { privateKey: key.privateKey, publicKey: key.publicCryptoKey },
        enc,
        info: infoOf(expected),
      },
      ct,
      aadOf(e),
    );
    return new Uint8Array(pt);
  } catch {
    throw new OpenError('not_authentic', e.keyId);
  }
}
