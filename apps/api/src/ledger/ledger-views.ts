import type { LedgerVerification, SignedTreeHead, StoredEntry } from '@app/ledger';
import { readEntryFields } from '@app/ledger/core';
import type {
  LedgerEntryResponse,
  LedgerVerificationResponse,
  SignedTreeHeadResponse,
} from './ledger.response.js';

/**
 * An entry as the audit API shows it: `leafInput` is exactly the stored bytes (base64) whose leaf hash is in the
 * tree; the other fields are read from those bytes. A damaged entry still shows its bytes, with what could be read.
 */
export function entryView(stored: StoredEntry): LedgerEntryResponse {
  const fields = readEntryFields(stored.leafInput);
  return {
    leafIndex: stored.leafIndex,
    leafInput: stored.leafInput.toString('base64'),
    time: fields.time,
    actor: fields.actor,
    action: fields.action,
    subjectIds: fields.subjectIds,
    payload: fields.payload,
  };
}

export const base64Path = (path: readonly Uint8Array[]): string[] =>
  path.map((h) => Buffer.from(h).toString('base64'));

/** A signed head as the API shows it: the signed fields and the signature, nothing else the store keeps. */
export const treeHeadView = (head: SignedTreeHead): SignedTreeHeadResponse => ({
  treeSize: head.treeSize,
  rootHash: head.rootHash,
  timestamp: head.timestamp,
  hashAlgorithm: head.hashAlgorithm,
  signature: head.signature,
});

export const verificationView = (result: LedgerVerification): LedgerVerificationResponse => ({ ...result });
