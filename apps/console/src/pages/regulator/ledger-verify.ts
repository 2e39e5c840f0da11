/**
 * The ledger checks a regulator runs in the browser, without taking the server's word: the leaf hash recomputed from
 * the entry's stored bytes, the RFC 9162 root recomputed from the leaf hash and the inclusion path, compared with the
 * signed head's root, and the head's EIP-712 signature checked against the published signing address.
 *
 * A reimplementation of the small part of `@app/ledger/core` the browser needs (the core hashes with node:crypto):
 * `hash-algorithm.ts` (RFC 9162 §2.1.1), `inclusion-proof.ts` (`verifyInclusion`, RFC 9162 §2.1.3.2),
 * `leaf-encoding.ts` (JCS leaf input) and `tree-head.ts` (`TREE_HEAD_DOMAIN`, `TREE_HEAD_TYPES`,
 * `verifyTreeHeadSignature`). `test/console/regulator-ledger-verifier.e2e-spec.ts` holds the two in agreement.
 */
import canonicalize from 'canonicalize';
import { getAddress, hexlify, isAddress, verifyTypedData } from 'ethers';
import { sm3 } from './sm3.ts';

export type HashAlgorithm = 'sha256' | 'sm3';

/** The same EIP-712 domain and type as `TREE_HEAD_DOMAIN` and `TREE_HEAD_TYPES` in libs/ledger/src/core/tree-head.ts. */
export const TREE_HEAD_DOMAIN = { name: 'DataExchangeLedger', version: '1' } as const;
export const TREE_HEAD_TYPES = {
  TreeHead: [
    { name: 'treeSize', type: 'uint64' },
    { name: 'rootHash', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'hashAlgorithm', type: 'string' },
  ],
};

export interface SignedHead {
  treeSize: number;
  rootHash: string;
  timestamp: number;
  hashAlgorithm: string;
  signature: string;
}

/** Strict standard base64 (padded): only text that re-encodes to itself, as the core's `decodeBase64Strict`. */
export function decodeBase64(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    return undefined;
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return encodeBase64(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export const toHex = (bytes: Uint8Array): string =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function digest(algorithm: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  if (algorithm === 'sm3') return sm3(data);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}

/** RFC 9162 §2.1.1 leaf hash: H(0x00 || leafInput). */
export async function hashLeaf(algorithm: HashAlgorithm, leafInput: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(1 + leafInput.length);
  input.set(leafInput, 1);
  return digest(algorithm, input);
}

/** RFC 9162 §2.1.1 interior node: H(0x01 || left || right). */
export async function hashChildren(
  algorithm: HashAlgorithm,
  left: Uint8Array,
  right: Uint8Array,
): Promise<Uint8Array> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return digest(algorithm, input);
}

const isSize = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * The root RFC 9162 §2.1.3.2 computes from a leaf hash and its inclusion path, or why it cannot: the same loop and
 * the same refusals (index not below size, a path element not 32 bytes, a path too long or too short) as the core's
 * `verifyInclusion`, which then compares this root with the head's.
 */
export async function rootFromInclusion(
  algorithm: HashAlgorithm,
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<{ root: Uint8Array } | { problem: string }> {
  if (!isSize(leafIndex) || !isSize(treeSize))
    return { problem: 'leaf index and tree size must be non-negative integers' };
  if (leafIndex >= treeSize) return { problem: `leaf index ${leafIndex} is not below tree size ${treeSize}` };
  const malformed = proof.findIndex((p) => p.length !== 32);
  if (malformed >= 0) return { problem: `proof element ${malformed} is not a 32-byte hash` };
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return { problem: 'proof is longer than the path for this leaf index and tree size' };
    if (fn % 2 === 1 || fn === sn) {
      r = await hashChildren(algorithm, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await hashChildren(algorithm, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return { problem: 'proof is shorter than the path for this leaf index and tree size' };
  return { root: r };
}

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Who signed the head (EIP-712 recovery), or why no one can be recovered. As the core's `verifyTreeHeadSignature`. */
export function headSigner(head: SignedHead): { signer: string } | { problem: string } {
  const root = decodeBase64(head.rootHash);
  if (!isSize(head.treeSize) || !isSize(head.timestamp) || root?.length !== 32)
    return { problem: 'the head is malformed' };
  if (head.hashAlgorithm !== 'sha256' && head.hashAlgorithm !== 'sm3')
    return { problem: "hashAlgorithm must be 'sha256' or 'sm3'" };
  if (typeof head.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(head.signature))
    return { problem: 'signature must be 0x-prefixed hex of 65 bytes' };
  const message = {
    treeSize: head.treeSize,
    rootHash: hexlify(root),
    timestamp: head.timestamp,
    hashAlgorithm: head.hashAlgorithm,
  };
  try {
    return { signer: verifyTypedData(TREE_HEAD_DOMAIN, TREE_HEAD_TYPES, message, head.signature) };
  } catch {
    return { problem: 'signature is not a valid secp256k1 signature' };
  }
}

export type CheckName = 'leaf' | 'root' | 'signature';

export interface Check {
  name: CheckName;
  ok: boolean;
  /** What the browser computed (hex) and what it compared it with. */
  computed?: string;
  expected?: string;
  problem?: string;
}

export interface InclusionEvidence {
  leafIndex: number;
  /** The entry's stored bytes, base64, as `/v1/ledger/search` and `/entries` give them. */
  leafInput: string;
  head: SignedHead;
  /** `inclusionPath` of `/v1/ledger/proof/inclusion` for (leafIndex, head.treeSize). */
  inclusionPath: string[];
  /** `signerAddress` and `hashAlgorithm` of `/v1/ledger/key`. */
  signerAddress: string;
  hashAlgorithm: string;
}

/** The three checks, in order; each says what it computed, and a later one still runs when an earlier one fails. */
export async function verifyInBrowser(evidence: InclusionEvidence): Promise<Check[]> {
  const checks: Check[] = [];
  const algorithm = evidence.hashAlgorithm as HashAlgorithm;
  if (algorithm !== 'sha256' && algorithm !== 'sm3') {
    const problem = `unknown hash algorithm ${evidence.hashAlgorithm}`;
    return (['leaf', 'root', 'signature'] as const).map((name) => ({ name, ok: false, problem }));
  }

  // 1. The leaf: the stored bytes are the entry's canonical (JCS) encoding at this index; hash them.
  const leafInput = decodeBase64(evidence.leafInput);
  let leafHash: Uint8Array | undefined;
  if (!leafInput) checks.push({ name: 'leaf', ok: false, problem: 'leafInput is not base64' });
  else {
    leafHash = await hashLeaf(algorithm, leafInput);
    const problem = leafProblem(leafInput, evidence.leafIndex);
    checks.push({ name: 'leaf', ok: !problem, computed: toHex(leafHash), problem });
  }

  // 2. The root: from the leaf hash up the inclusion path, equal to the signed head's root.
  const expectedRoot = decodeBase64(evidence.head.rootHash);
  const path = evidence.inclusionPath.map(decodeBase64);
  if (!leafHash) checks.push({ name: 'root', ok: false, problem: 'no leaf hash' });
  else if (path.some((p) => !p))
    checks.push({ name: 'root', ok: false, problem: 'a proof element is not base64' });
  else if (evidence.head.hashAlgorithm !== algorithm)
    checks.push({
      name: 'root',
      ok: false,
      problem: `the head is over ${evidence.head.hashAlgorithm}, the ledger over ${algorithm}`,
    });
  else {
    const computed = await rootFromInclusion(
      algorithm,
      evidence.leafIndex,
      evidence.head.treeSize,
      leafHash,
      path as Uint8Array[],
    );
    const expected = expectedRoot ? toHex(expectedRoot) : undefined;
    if ('problem' in computed) checks.push({ name: 'root', ok: false, expected, problem: computed.problem });
    else
      checks.push({
        name: 'root',
        ok: !!expectedRoot && bytesEqual(computed.root, expectedRoot),
        computed: toHex(computed.root),
        expected,
        problem:
          expectedRoot && bytesEqual(computed.root, expectedRoot)
            ? undefined
            : 'the root computed from the leaf and proof does not match the signed head',
      });
  }

  // 3. The signature: the head was signed by the published ledger key.
  const signer = headSigner(evidence.head);
  if (!isAddress(evidence.signerAddress))
    checks.push({ name: 'signature', ok: false, problem: 'the published signer is not an address' });
  else if ('problem' in signer)
    checks.push({
      name: 'signature',
      ok: false,
      expected: getAddress(evidence.signerAddress),
      problem: signer.problem,
    });
  else {
    const ok = signer.signer === getAddress(evidence.signerAddress);
    checks.push({
      name: 'signature',
      ok,
      computed: signer.signer,
      expected: getAddress(evidence.signerAddress),
      problem: ok ? undefined : 'the head is signed by another key',
    });
  }
  return checks;
}

/** Why the bytes are not this index's canonical entry, or undefined (as the core's `decodeLeafInput`). */
export function leafProblem(leafInput: Uint8Array, leafIndex: number): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(leafInput));
  } catch {
    return 'leaf input is not UTF-8 JSON';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'leaf input is not an entry';
  const entry = value as Record<string, unknown>;
  const keys = Object.keys(entry).sort().join(',');
  if (keys !== 'action,actor,index,payload,subjectIds,time') return 'leaf input is not an entry';
  if (entry.index !== leafIndex) return `leaf input is entry ${String(entry.index)}, not ${leafIndex}`;
  const canonical = canonicalize(entry);
  if (canonical === undefined || !bytesEqual(new TextEncoder().encode(canonical), leafInput))
    return 'leaf input is not in canonical form';
  return undefined;
}
