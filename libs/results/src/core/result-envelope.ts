import { createHash, createPrivateKey, createPublicKey, type webcrypto } from 'node:crypto';
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import canonicalize from 'canonicalize';

/** The envelope's format name and version; a reader refuses any other. */
export const RESULT_ENVELOPE_FORMAT = 'exchange-result/1';

/** RFC 9180 identifiers of the one suite results are sealed with: base mode, X25519, HKDF-SHA256, AES-256-GCM. */
export const RESULT_SUITE = { mode: 0x00, kem: 0x0020, kdf: 0x0001, aead: 0x0002 } as const;

/** Raw X25519 keys are 32 bytes; so is the encapsulated key `enc`. */
export const X25519_KEY_BYTES = 32;

/** The computation and contract a sealed result belongs to: bound into HPKE's `info` and the AEAD's `aad`. */
export interface ResultBinding {
  computationId: string;
  contractId: string;
}

/** A sealed result, as JSON. Every field but `enc` and `ciphertext` is authenticated as associated data. */
export interface ResultEnvelope extends ResultBinding {
  format: typeof RESULT_ENVELOPE_FORMAT;
  suite: { kem: number; kdf: number; aead: number };
  /** `resultKeyId` of the recipient's public key: who can open it. */
  keyId: string;
  /** The HPKE encapsulated key, base64url (32 bytes). */
  enc: string;
  /** AES-256-GCM ciphertext and tag, base64url. */
  ciphertext: string;
}

/** A raw X25519 key pair (32 bytes each). The private half is SECRET. */
export interface ResultKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** Why a result did not open; `code` is stable. */
export class ResultEnvelopeError extends Error {
  constructor(
    readonly code:
      | 'malformed_envelope'
      | 'unsupported_format'
      | 'wrong_binding'
      | 'wrong_key'
      | 'not_authentic'
      | 'invalid_public_key',
    message: string,
  ) {
    super(message);
    this.name = 'ResultEnvelopeError';
  }
}

type Key = webcrypto.CryptoKey;
type Bytes = ArrayBuffer | Uint8Array;

/**
 * The part of `@hpke/core`'s CipherSuite used here, typed with Node's WebCrypto key (the library's declarations
 * name the DOM's `CryptoKey`, which this project's `lib` does not include).
 */
interface Suite {
  kem: {
    generateKeyPair(): Promise<{ publicKey: Key; privateKey: Key }>;
    serializePublicKey(key: Key): Promise<ArrayBuffer>;
    serializePrivateKey(key: Key): Promise<ArrayBuffer>;
    deserializePublicKey(key: Bytes): Promise<Key>;
    deserializePrivateKey(key: Bytes): Promise<Key>;
  };
  seal(
    params: { recipientPublicKey: Key; info?: Bytes; ekm?: Bytes },
    pt: Bytes,
    aad?: Bytes,
  ): Promise<{ ct: ArrayBuffer; enc: ArrayBuffer }>;
  open(params: { recipientKey: Key; enc: Bytes; info?: Bytes }, ct: Bytes, aad?: Bytes): Promise<ArrayBuffer>;
}

const suite = (): Suite =>
  new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  });

const utf8 = (s: string) => new TextEncoder().encode(s);

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict base64url (no padding, canonical): the bytes, or null. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? new Uint8Array(bytes) : null;
}

/** The key id of a raw X25519 public key: `x25519:` and the SHA-256 (hex) of its 32 bytes. */
export function resultKeyId(publicKey: Uint8Array): string {
  return `x25519:${createHash('sha256').update(publicKey).digest('hex')}`;
}

/**
 * The raw 32-byte key of a base64url X25519 public key, or an `invalid_public_key` error saying what is wrong:
 * not base64url, not 32 bytes, or a point HPKE cannot encapsulate to (a low-order point: RFC 9180 §7.1.4).
 */
export async function parseResultPublicKey(text: string): Promise<Uint8Array> {
  const bytes = fromBase64Url(text);
  if (!bytes)
    throw new ResultEnvelopeError(
      'invalid_public_key',
      'publicKey is not base64url (A–Z a–z 0–9 - _, no padding)',
    );
  if (bytes.length !== X25519_KEY_BYTES)
    throw new ResultEnvelopeError(
      'invalid_public_key',
      `publicKey is ${bytes.length} bytes; an X25519 public key is ${X25519_KEY_BYTES}`,
    );
  try {
    const s = suite();
    await s.seal({ recipientPublicKey: await s.kem.deserializePublicKey(bytes) }, new Uint8Array(0));
  } catch {
    throw new ResultEnvelopeError(
      'invalid_public_key',
      'publicKey is not a usable X25519 public key (a low-order point: nothing sealed to it would be secret)',
    );
  }
  return bytes;
}

/** SECRET. A fresh X25519 key pair from the platform's CSPRNG (WebCrypto). */
export async function generateResultKeyPair(): Promise<ResultKeyPair> {
  const s = suite();
  const pair = await s.kem.generateKeyPair();
  return {
    publicKey: new Uint8Array(await s.kem.serializePublicKey(pair.publicKey)),
    privateKey: new Uint8Array(await s.kem.serializePrivateKey(pair.privateKey)),
  };
}

/** The public half of a raw X25519 private key (RFC 7748), through node:crypto. */
export function resultPublicKeyOf(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== X25519_KEY_BYTES) throw new Error('an X25519 private key is 32 bytes');
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), privateKey]);
  const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({
    format: 'jwk',
  });
  pkcs8.fill(0);
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
}

/** HPKE `info`: the format and the binding, as RFC 8785 canonical JSON. */
function infoOf(binding: ResultBinding): Uint8Array {
  return utf8(
    canonicalize({
      format: RESULT_ENVELOPE_FORMAT,
      computationId: binding.computationId,
      contractId: binding.contractId,
    }) ?? '',
  );
}

/** AEAD `aad`: every field of the envelope but `enc` and `ciphertext`, as RFC 8785 canonical JSON. */
function aadOf(e: Omit<ResultEnvelope, 'enc' | 'ciphertext'>): Uint8Array {
  return utf8(
    canonicalize({
      format: e.format,
      suite: e.suite,
      keyId: e.keyId,
      computationId: e.computationId,
      contractId: e.contractId,
    }) ?? '',
  );
}

function checkBinding(binding: ResultBinding): void {
  for (const field of ['computationId', 'contractId'] as const)
    if (typeof binding[field] !== 'string' || binding[field].length === 0 || binding[field].length > 200)
      throw new ResultEnvelopeError('malformed_envelope', `${field} must be a non-empty string`);
}

/**
 * Seals `plaintext` to the recipient's raw X25519 public key with HPKE base mode (single shot), bound to the
 * computation and contract. Precondition: `recipientPublicKey` is the buyer's registered key (what
 * `GET /v1/result-keys/{organisationId}` serves); the sender keeps no secret after this returns. `ekm` is for
 * test vectors only (a fixed ephemeral key seed).
 */
export async function sealResult(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  binding: ResultBinding,
  ekm?: Uint8Array,
): Promise<ResultEnvelope> {
  checkBinding(binding);
  const s = suite();
  const header = {
    format: RESULT_ENVELOPE_FORMAT,
    suite: { kem: RESULT_SUITE.kem, kdf: RESULT_SUITE.kdf, aead: RESULT_SUITE.aead },
    keyId: resultKeyId(recipientPublicKey),
    computationId: binding.computationId,
    contractId: binding.contractId,
  } as const;
  const sealed = await s.seal(
    {
      recipientPublicKey: await s.kem.deserializePublicKey(recipientPublicKey),
      info: infoOf(binding),
      ...(ekm ? { ekm } : {}),
    },
    plaintext,
    aadOf(header),
  );
  return {
    ...header,
    enc: toBase64Url(new Uint8Array(sealed.enc)),
    ciphertext: toBase64Url(new Uint8Array(sealed.ct)),
  };
}

/** The envelope's fields checked for shape, or `malformed_envelope` / `unsupported_format`. */
export function parseResultEnvelope(value: unknown): ResultEnvelope {
  const e = value as Partial<ResultEnvelope> | null;
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    throw new ResultEnvelopeError('malformed_envelope', 'a result envelope is a JSON object');
  if (e.format !== RESULT_ENVELOPE_FORMAT)
    throw new ResultEnvelopeError(
      'unsupported_format',
      `the envelope's format is ${JSON.stringify(e.format)}; this reader opens ${RESULT_ENVELOPE_FORMAT}`,
    );
  const s = e.suite;
  if (!s || s.kem !== RESULT_SUITE.kem || s.kdf !== RESULT_SUITE.kdf || s.aead !== RESULT_SUITE.aead)
    throw new ResultEnvelopeError(
      'unsupported_format',
      'the envelope names another HPKE suite than DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM',
    );
  for (const field of ['keyId', 'enc', 'ciphertext', 'computationId', 'contractId'] as const)
    if (typeof e[field] !== 'string')
      throw new ResultEnvelopeError('malformed_envelope', `the envelope's ${field} must be a string`);
  return e as ResultEnvelope;
}

/**
 * SECRET. Opens a sealed result with the recipient's raw private key. Refuses, changing nothing: an envelope for
 * another computation or contract than `expected` (`wrong_binding`), sealed to another key (`wrong_key`), or with
 * any byte changed (`not_authentic`: the AEAD tag covers the ciphertext and every header field).
 */
export async function openResult(
  privateKey: Uint8Array,
  envelope: unknown,
  expected: ResultBinding,
): Promise<Uint8Array> {
  const e = parseResultEnvelope(envelope);
  checkBinding(expected);
  if (e.computationId !== expected.computationId || e.contractId !== expected.contractId)
    throw new ResultEnvelopeError(
      'wrong_binding',
      `the envelope is for computation ${e.computationId} of contract ${e.contractId}, ` +
        `not computation ${expected.computationId} of contract ${expected.contractId}`,
    );
  const mine = resultKeyId(resultPublicKeyOf(privateKey));
  if (e.keyId !== mine)
    throw new ResultEnvelopeError(
      'wrong_key',
      `the result is sealed to key ${e.keyId}, not to this key (${mine})`,
    );
  const enc = fromBase64Url(e.enc);
  const ct = fromBase64Url(e.ciphertext);
  if (!enc || enc.length !== X25519_KEY_BYTES || !ct)
    throw new ResultEnvelopeError(
      'malformed_envelope',
      "the envelope's enc or ciphertext is not valid base64url",
    );
  const s = suite();
  try {
    const pt = await s.open(
      { recipientKey: await s.kem.deserializePrivateKey(privateKey), enc, info: infoOf(expected) },
      ct,
      aadOf(e),
    );
    return new Uint8Array(pt);
  } catch {
    throw new ResultEnvelopeError(
      'not_authentic',
      'the result does not open: a byte of it was changed, or it was not sealed to this key for this computation',
    );
  }
}
