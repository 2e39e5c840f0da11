import canonicalize from 'canonicalize';
import { serializeEntryJcs } from './entry-serializer.js';
import { LedgerError } from './ledger-error.js';
import { entryProblem, type LedgerEntry } from './ledger-entry.js';

/** Identifier of the leaf encoding below, published in export headers and the key description. */
export const LEAF_ENCODING = 'jcs-rfc8785-utf8-v1';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Canonical leaf input of an entry: the UTF-8 bytes of the RFC 8785 (JCS) serialisation of
 * `{ action, actor: { accountId, organisationId }, index, payload, subjectIds, time }`.
 * Anyone holding the fields can recompute it. Properties outside the model are ignored. Throws `LedgerError` when the entry does not
 * satisfy the entry model (see `entryProblem`).
 */
export function encodeLeafInput(entry: LedgerEntry): Uint8Array {
  const fields = pickEntryFields(entry);
  const problem = entryProblem(fields);
  if (problem) throw new LedgerError(`invalid ledger entry: ${problem}`);
  return encoder.encode(serializeEntryJcs(fields));
}

/**
 * Parses a leaf input back into an entry. Throws `LedgerError` unless the bytes are valid UTF-8,
 * describe a valid entry and are exactly its canonical encoding (so every entry has one encoding).
 */
export function decodeLeafInput(leafInput: Uint8Array): LedgerEntry {
  let value: unknown;
  try {
    value = JSON.parse(strictDecoder.decode(leafInput));
  } catch {
    throw new LedgerError('leaf input is not UTF-8 JSON');
  }
  const problem = entryProblem(value);
  if (problem) throw new LedgerError(`leaf input is not a valid entry: ${problem}`);
  const entry = value as LedgerEntry;
  if (!bytesMatchText(leafInput, canonicalJson(entry)))
    throw new LedgerError('leaf input is not in canonical form');
  return entry;
}

/** The model's fields only, so extra properties of the object passed in cannot reach the encoding. */
export function pickEntryFields(entry: LedgerEntry): LedgerEntry {
  const actor = entry.actor as LedgerEntry['actor'] | undefined;
  return {
    index: entry.index,
    time: entry.time,
    actor:
      actor && typeof actor === 'object'
        ? { accountId: actor.accountId, organisationId: actor.organisationId }
        : actor!,
    action: entry.action,
    subjectIds: entry.subjectIds,
    payload: entry.payload,
  };
}

/**
 * The canonical JSON text of an entry already checked with `entryProblem`. For such entries the
 * specialised `serializeEntryJcs` is byte-equal to the generic RFC 8785 `canonicalize` (held so by
 * tests) and several times cheaper; `canonicalize` stays the reference for anything else.
 */
export function canonicalJson(entry: LedgerEntry): string {
  const fields = pickEntryFields(entry);
  if (entryProblem(fields) === undefined) return serializeEntryJcs(fields);
  const text = canonicalize(fields);
  if (text === undefined) throw new LedgerError('entry has no JSON representation');
  return text;
}

/** True when `bytes` is exactly the UTF-8 encoding of `text`. */
export function bytesMatchText(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(Buffer.from(text, 'utf8'));
}
