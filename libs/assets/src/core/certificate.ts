import canonicalize from 'canonicalize';
import {
  getAddress,
  isAddress,
  sha256,
  toUtf8Bytes,
  verifyTypedData,
  type Signer,
  type TypedDataField,
} from 'ethers';
import type { AssetFacts } from './asset-facts.js';

/** The document format's name and version: a verifier refuses any other. */
export const CERTIFICATE_FORMAT = 'hdde-asset-certificate/1';

export const CERTIFICATE_STATUSES = ['registered', 'cancelled'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** A registration certificate (数据资产登记证书) as the exchange issues it and anyone verifies it. */
export interface AssetCertificate {
  format: typeof CERTIFICATE_FORMAT;
  registrationNumber: string;
  assetId: string;
  /** The facts' version: 1 at registration, +1 for every approved change or transfer. */
  version: number;
  status: CertificateStatus;
  /** ISO 8601 UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  issuedAt: string;
  /** Index of the ledger entry that records this issuance and carries `factsHash`. */
  ledgerIndex: number;
  facts: AssetFacts;
  /** 0x + lowercase hex of SHA-256 over the RFC 8785 canonical JSON of `facts`. */
  factsHash: string;
  /** Checksummed address of the exchange's key that signed. */
  signer: string;
  /** 0x + lowercase hex of the 65-byte EIP-712 signature (r || s || v). */
  signature: string;
}

export type UnsignedCertificate = Omit<AssetCertificate, 'factsHash' | 'signer' | 'signature'>;

/** EIP-712 domain of certificate signatures; no chainId, like tree heads: certificates belong to no chain. */
export const CERTIFICATE_DOMAIN = Object.freeze({ name: 'DataExchangeAssetRegistry', version: '1' });

export const CERTIFICATE_TYPES: Record<string, TypedDataField[]> = Object.freeze({
  AssetCertificate: [
    { name: 'registrationNumber', type: 'string' },
    { name: 'assetId', type: 'string' },
    { name: 'version', type: 'uint32' },
    { name: 'status', type: 'string' },
    { name: 'factsHash', type: 'bytes32' },
    { name: 'ledgerIndex', type: 'uint64' },
    { name: 'issuedAt', type: 'string' },
  ],
});

const KEYS = [
  'format',
  'registrationNumber',
  'assetId',
  'version',
  'status',
  'issuedAt',
  'ledgerIndex',
  'facts',
  'factsHash',
  'signer',
  'signature',
].sort();

export const REGISTRATION_NUMBER_PATTERN = /^HDDE-\d{4}-\d{6,}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HASH_HEX = /^0x[0-9a-f]{64}$/;
const SIGNATURE_HEX = /^0x[0-9a-f]{130}$/;

/**
 * SHA-256 of the RFC 8785 canonical form of `facts`, 0x-prefixed lowercase hex. Precondition: `facts` is plain
 * JSON (no undefined, no bigint, no non-finite numbers); canonicalize throws otherwise.
 */
export function factsHash(facts: unknown): string {
  const canonical = canonicalize(facts);
  if (canonical === undefined) throw new TypeError('facts have no JSON form');
  return sha256(toUtf8Bytes(canonical));
}

/** The EIP-712 message of a certificate. Precondition: `certificateProblem` found nothing wrong with its fields. */
export function certificateMessage(
  c: Pick<
    AssetCertificate,
    'registrationNumber' | 'assetId' | 'version' | 'status' | 'factsHash' | 'ledgerIndex' | 'issuedAt'
  >,
): Record<string, unknown> {
  return {
    registrationNumber: c.registrationNumber,
    assetId: c.assetId,
    version: c.version,
    status: c.status,
    factsHash: c.factsHash,
    ledgerIndex: c.ledgerIndex,
    issuedAt: c.issuedAt,
  };
}

/**
 * Signs a certificate with EIP-712 (`CERTIFICATE_DOMAIN`, `CERTIFICATE_TYPES`) by any ethers signer.
 * Precondition: `unsigned.facts` is plain JSON; the other fields are well formed (a malformed one throws).
 */
export async function signCertificate(
  signer: Pick<Signer, 'signTypedData' | 'getAddress'>,
  unsigned: UnsignedCertificate,
): Promise<AssetCertificate> {
  const hash = factsHash(unsigned.facts);
  const draft = {
    format: CERTIFICATE_FORMAT,
    registrationNumber: unsigned.registrationNumber,
    assetId: unsigned.assetId,
    version: unsigned.version,
    status: unsigned.status,
    issuedAt: unsigned.issuedAt,
    ledgerIndex: unsigned.ledgerIndex,
    facts: unsigned.facts,
    factsHash: hash,
    signer: getAddress(await signer.getAddress()),
    signature: '0x' + '0'.repeat(130),
  } satisfies AssetCertificate;
  const problem = certificateProblem(draft);
  if (problem) throw new TypeError(`invalid certificate: ${problem}`);
  const signature = (
    await signer.signTypedData(CERTIFICATE_DOMAIN, CERTIFICATE_TYPES, certificateMessage(draft))
  ).toLowerCase();
  return { ...draft, signature };
}

/** What is wrong with the shape of an (untrusted) certificate, or undefined when it is well formed. */
export function certificateProblem(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'a certificate is a JSON object';
  const c = doc as Record<string, unknown>;
  const keys = Object.keys(c).sort();
  const unknown = keys.filter((k) => !KEYS.includes(k));
  if (unknown.length) return `unknown fields: ${unknown.join(', ')}`;
  const missing = KEYS.filter((k) => !(k in c));
  if (missing.length) return `missing fields: ${missing.join(', ')}`;
  if (c.format !== CERTIFICATE_FORMAT) return `format must be ${CERTIFICATE_FORMAT}`;
  if (typeof c.registrationNumber !== 'string' || !REGISTRATION_NUMBER_PATTERN.test(c.registrationNumber))
    return 'registrationNumber must look like HDDE-2026-000001';
  if (typeof c.assetId !== 'string' || c.assetId.length === 0 || c.assetId.length > 64)
    return 'assetId must be a string';
  if (
    typeof c.version !== 'number' ||
    !Number.isInteger(c.version) ||
    c.version < 1 ||
    c.version > 0xffffffff
  )
    return 'version must be a positive integer';
  if (!(CERTIFICATE_STATUSES as readonly unknown[]).includes(c.status))
    return `status must be one of ${CERTIFICATE_STATUSES.join(', ')}`;
  if (
    typeof c.issuedAt !== 'string' ||
    !ISO_INSTANT.test(c.issuedAt) ||
    Number.isNaN(Date.parse(c.issuedAt)) ||
    new Date(c.issuedAt).toISOString() !== c.issuedAt
  )
    return 'issuedAt must be an ISO 8601 UTC instant with milliseconds';
  if (typeof c.ledgerIndex !== 'number' || !Number.isSafeInteger(c.ledgerIndex) || c.ledgerIndex < 0)
    return 'ledgerIndex must be a non-negative integer';
  if (c.facts === null || typeof c.facts !== 'object' || Array.isArray(c.facts))
    return 'facts must be an object';
  if (typeof c.factsHash !== 'string' || !HASH_HEX.test(c.factsHash))
    return 'factsHash must be 0x and 64 lowercase hex digits';
  if (typeof c.signer !== 'string' || !isAddress(c.signer) || getAddress(c.signer) !== c.signer)
    return 'signer must be a checksummed address';
  if (typeof c.signature !== 'string' || !SIGNATURE_HEX.test(c.signature))
    return 'signature must be 0x and 130 lowercase hex digits';
  return undefined;
}

export type CertificateVerdict =
  | { ok: true; certificate: AssetCertificate; signer: string }
  | { ok: false; reason: string; signer?: string };

/**
 * Checks a certificate on its own: its shape, that `factsHash` is the hash of `facts`, and that `signature` is the
 * EIP-712 signature of its fields by `signer` (and by `expectedSigner`, when given). Says nothing of whether the
 * registration is still in force: that is the exchange's to answer (`POST /v1/certificates/verify`). Never throws.
 */
export function verifyCertificate(doc: unknown, expectedSigner?: string): CertificateVerdict {
  const problem = certificateProblem(doc);
  if (problem) return { ok: false, reason: problem };
  const c = doc as AssetCertificate;
  let hash: string;
  try {
    hash = factsHash(c.facts);
  } catch {
    return { ok: false, reason: 'facts are not plain JSON' };
  }
  if (hash !== c.factsHash)
    return { ok: false, reason: 'facts do not match factsHash: the facts were changed' };
  let recovered: string;
  try {
    recovered = verifyTypedData(CERTIFICATE_DOMAIN, CERTIFICATE_TYPES, certificateMessage(c), c.signature);
  } catch {
    return { ok: false, reason: 'signature is not a valid secp256k1 signature' };
  }
  if (recovered !== c.signer)
    return {
      ok: false,
      reason: `signature is by ${recovered}, not by the stated signer ${c.signer}`,
      signer: recovered,
    };
  if (expectedSigner !== undefined) {
    if (!isAddress(expectedSigner)) return { ok: false, reason: 'expected signer is not an address' };
    if (recovered !== getAddress(expectedSigner))
      return {
        ok: false,
        reason: `signed by ${recovered}, not by the expected ${getAddress(expectedSigner)}`,
        signer: recovered,
      };
  }
  return { ok: true, certificate: c, signer: recovered };
}

/** Parses certificate text strictly (a JSON object, nothing after it) and verifies it. Never throws. */
export function verifyCertificateText(text: string, expectedSigner?: string): CertificateVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  return verifyCertificate(parsed, expectedSigner);
}

/** How certificates are signed, for documentation and independent verifiers. */
export function certificateSigningDescription(signerAddress: string) {
  return {
    signerAddress: getAddress(signerAddress),
    format: CERTIFICATE_FORMAT,
    scheme: 'EIP-712 typed data, secp256k1 ECDSA (eth_signTypedData_v4)',
    primaryType: 'AssetCertificate',
    domain: { ...CERTIFICATE_DOMAIN },
    types: { AssetCertificate: CERTIFICATE_TYPES.AssetCertificate.map((f) => ({ ...f })) },
    factsHash: 'SHA-256 of the RFC 8785 (JCS) canonical JSON of `facts`, 0x-prefixed lowercase hex',
  };
}
