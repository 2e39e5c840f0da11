import { getAddress, hexlify, isAddress, verifyTypedData, type Signer, type TypedDataField } from 'ethers';
import { decodeBase64Strict } from './base64.js';
import { HASH_SIZE, isHashAlgorithm, type HashAlgorithm } from './hash-algorithm.js';
import { LedgerError } from './ledger-error.js';
import { LEAF_ENCODING } from './leaf-encoding.js';
import { fail, OK, type Verdict } from './verdict.js';

/** A tree head before signing. */
export interface TreeHead {
  treeSize: number;
  /** Standard base64 (padded) of the 32-byte root hash MTH(D[0:treeSize]). */
  rootHash: string;
  /** Milliseconds since the Unix epoch when the head was produced. */
  timestamp: number;
  hashAlgorithm: HashAlgorithm;
}

/** A tree head with its secp256k1 EIP-712 signature (0x-prefixed 65-byte hex, r || s || v). */
export interface SignedTreeHead extends TreeHead {
  signature: string;
}

/** EIP-712 domain of tree-head signatures; no chainId: heads are not tied to any chain. */
export const TREE_HEAD_DOMAIN = Object.freeze({ name: 'DataExchangeLedger', version: '1' });

/** EIP-712 types of tree-head signatures; rootHash is the raw 32-byte root, not its base64. */
export const TREE_HEAD_TYPES: Record<string, TypedDataField[]> = Object.freeze({
  TreeHead: [
    { name: 'treeSize', type: 'uint64' },
    { name: 'rootHash', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'hashAlgorithm', type: 'string' },
  ],
});

/**
 * How heads are signed, for `/v1/ledger/key` and for independent verifiers. `signerAddress` is
 * the checksummed Ethereum address whose key signs the heads.
 */
export function treeHeadSigningDescription(signerAddress: string) {
  return {
    signerAddress: getAddress(signerAddress),
    scheme: 'EIP-712 typed data, secp256k1 ECDSA (eth_signTypedData_v4)',
    primaryType: 'TreeHead',
    domain: { ...TREE_HEAD_DOMAIN },
    types: { TreeHead: TREE_HEAD_TYPES.TreeHead.map((field) => ({ ...field })) },
    message: {
      treeSize: 'number of leaves covered',
      rootHash: 'the 32-byte Merkle root as bytes32 (transported as base64 in JSON)',
      timestamp: 'milliseconds since the Unix epoch',
      hashAlgorithm: "'sha256' or 'sm3'",
    },
    signatureEncoding: '0x-prefixed hex of r (32 bytes) || s (32 bytes) || v (1 byte)',
    merkleTree:
      'RFC 9162 section 2.1: leaf H(0x00 || input), node H(0x01 || left || right), empty tree H("")',
    leafEncoding: LEAF_ENCODING,
  };
}

/** Describes what is wrong with an (untrusted) unsigned head, or undefined when it is well formed. */
export function treeHeadProblem(head: unknown): string | undefined {
  if (head === null || typeof head !== 'object') return 'tree head must be an object';
  const { treeSize, rootHash, timestamp, hashAlgorithm } = head as Record<string, unknown>;
  if (typeof treeSize !== 'number' || !Number.isSafeInteger(treeSize) || treeSize < 0)
    return 'treeSize must be a non-negative integer';
  if (decodeBase64Strict(rootHash)?.length !== HASH_SIZE) return 'rootHash must be the base64 of 32 bytes';
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0)
    return 'timestamp must be a non-negative integer (ms)';
  if (!isHashAlgorithm(hashAlgorithm)) return "hashAlgorithm must be 'sha256' or 'sm3'";
  return undefined;
}

/** The EIP-712 message value of a head. Precondition: `treeHeadProblem(head)` is undefined. */
export function treeHeadMessage(head: TreeHead): Record<string, unknown> {
  return {
    treeSize: head.treeSize,
    rootHash: hexlify(decodeBase64Strict(head.rootHash)!),
    timestamp: head.timestamp,
    hashAlgorithm: head.hashAlgorithm,
  };
}

/**
 * Signs a tree head with EIP-712 (domain `TREE_HEAD_DOMAIN`, type `TREE_HEAD_TYPES`).
 * Works with any ethers signer (Wallet, HDNodeWallet, JsonRpcSigner).
 * Throws `LedgerError` when the head is malformed. Extra properties of `head` are dropped.
 */
export async function signTreeHead(
  signer: Pick<Signer, 'signTypedData'>,
  head: TreeHead,
): Promise<SignedTreeHead> {
  const problem = treeHeadProblem(head);
  if (problem) throw new LedgerError(`invalid tree head: ${problem}`);
  const signature = await signer.signTypedData(TREE_HEAD_DOMAIN, TREE_HEAD_TYPES, treeHeadMessage(head));
  const { treeSize, rootHash, timestamp, hashAlgorithm } = head;
  return { treeSize, rootHash, timestamp, hashAlgorithm, signature };
}

/**
 * Checks that `head.signature` is an EIP-712 signature of the head by `expectedAddress`
 * (recovers the signer and compares addresses). Never throws.
 */
export function verifyTreeHeadSignature(head: SignedTreeHead, expectedAddress: string): Verdict {
  const problem = treeHeadProblem(head);
  if (problem) return fail(problem);
  if (!isAddress(expectedAddress)) return fail('expected signer is not an address');
  if (typeof head.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(head.signature)) {
    return fail('signature must be 0x-prefixed hex of 65 bytes');
  }
  let recovered: string;
  try {
    recovered = verifyTypedData(TREE_HEAD_DOMAIN, TREE_HEAD_TYPES, treeHeadMessage(head), head.signature);
  } catch {
    return fail('signature is not a valid secp256k1 signature');
  }
  if (recovered !== getAddress(expectedAddress))
    return fail(`signature is by ${recovered}, not by ${getAddress(expectedAddress)}`);
  return OK;
}
