import { encodeBase64 } from './base64.js';
import type { HashAlgorithm } from './hash-algorithm.js';
import { decodeLeafInput, encodeLeafInput, LEAF_ENCODING } from './leaf-encoding.js';
import type { LedgerEntry } from './ledger-entry.js';
import type { SignedTreeHead } from './tree-head.js';

/**
 * Ledger export: NDJSON, one JSON object per line ('\n'-separated, UTF-8; blank lines ignored).
 *
 *  1. The first line is the header: `{ type: 'header', format, version, hashAlgorithm, leafEncoding }`.
 *  2. Then every entry in leaf order, leafIndex 0, 1, 2, ... without gaps:
 *     `{ type: 'entry', leafIndex, leafInput (standard base64), time, actor, action, subjectIds, payload }`.
 *     The fields, with `index = leafIndex`, must re-encode (`encodeLeafInput`) to exactly `leafInput`.
 *     Optionally `leafHash` (base64): the leaf hash the exchange's tree holds for this index. When present it must
 *     equal H(0x00 || leafInput), so an entry changed after it was hashed is named, not only the heads it breaks.
 *  3. Signed tree heads `{ type: 'sth', treeSize, rootHash, timestamp, hashAlgorithm, signature }` may be
 *     placed anywhere after the last entry they cover (treeSize <= entries before the line), e.g.
 *     interleaved as they were issued or all at the end. Heads appear in non-decreasing treeSize
 *     and timestamp order, and each must be consistent with the one before it.
 *  4. There is at least one head, and the last head covers every entry in the export.
 */
export const EXPORT_FORMAT = 'data-exchange-ledger-export';
export const EXPORT_VERSION = 1;

export interface ExportHeaderLine {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  hashAlgorithm: HashAlgorithm;
  leafEncoding: typeof LEAF_ENCODING;
}

export interface ExportEntryLine extends Omit<LedgerEntry, 'index'> {
  type: 'entry';
  leafIndex: number;
  /** Standard base64 of the entry's leaf input bytes. */
  leafInput: string;
  /** Standard base64 of the leaf hash stored in the tree at this index, when the exporter has it. */
  leafHash?: string;
}

export interface ExportHeadLine extends SignedTreeHead {
  type: 'sth';
}

export type ExportLine = ExportHeaderLine | ExportEntryLine | ExportHeadLine;

export const ENTRY_LINE_KEYS: readonly string[] = [
  'type',
  'leafIndex',
  'leafInput',
  'leafHash',
  'time',
  'actor',
  'action',
  'subjectIds',
  'payload',
];
export const HEAD_LINE_KEYS: readonly string[] = [
  'type',
  'treeSize',
  'rootHash',
  'timestamp',
  'hashAlgorithm',
  'signature',
];

export function exportHeaderLine(hashAlgorithm: HashAlgorithm): ExportHeaderLine {
  return {
    type: 'header',
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    hashAlgorithm,
    leafEncoding: LEAF_ENCODING,
  };
}

/**
 * The export line of an entry. `leafInput` defaults to `encodeLeafInput(entry)`; pass the stored
 * bytes when exporting from a database so the export carries what was actually hashed.
 */
export function exportEntryLine(
  entry: LedgerEntry,
  leafInput: Uint8Array = encodeLeafInput(entry),
): ExportEntryLine {
  return {
    type: 'entry',
    leafIndex: entry.index,
    leafInput: encodeBase64(leafInput),
    time: entry.time,
    actor: { accountId: entry.actor.accountId, organisationId: entry.actor.organisationId },
    action: entry.action,
    subjectIds: entry.subjectIds,
    payload: entry.payload,
  };
}

/**
 * What can be read of an entry's stored leaf input bytes: the entry when they decode, else the JSON fields they
 * hold (a damaged entry), else nothing. Never throws: a reader shows, and an export carries, a damaged entry as it
 * is stored, so that a verifier names it.
 */
export function readEntryFields(leafInput: Uint8Array): Partial<LedgerEntry> {
  try {
    return decodeLeafInput(leafInput);
  } catch {
    try {
      const text = Buffer.from(leafInput.buffer, leafInput.byteOffset, leafInput.byteLength).toString('utf8');
      const value: unknown = JSON.parse(text);
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch {
      return {};
    }
  }
}

/**
 * The export line of a stored entry: `leafInput` is exactly the stored bytes (what was hashed), the fields are
 * read from them (`readEntryFields`), and `treeLeafHash`, when given, is the leaf hash the tree holds at
 * `leafIndex`. Never throws; a damaged entry yields a line the verifier rejects, naming that entry.
 */
export function storedEntryLine(
  leafIndex: number,
  leafInput: Uint8Array,
  treeLeafHash?: Uint8Array,
): ExportEntryLine {
  const fields = readEntryFields(leafInput);
  return {
    type: 'entry',
    leafIndex,
    leafInput: encodeBase64(leafInput),
    ...(treeLeafHash ? { leafHash: encodeBase64(treeLeafHash) } : {}),
    time: fields.time!,
    actor: fields.actor!,
    action: fields.action!,
    subjectIds: fields.subjectIds!,
    payload: fields.payload!,
  };
}

export function exportHeadLine(head: SignedTreeHead): ExportHeadLine {
  const { treeSize, rootHash, timestamp, hashAlgorithm, signature } = head;
  return { type: 'sth', treeSize, rootHash, timestamp, hashAlgorithm, signature };
}

/** One NDJSON line including its trailing newline. */
export function formatExportLine(line: ExportLine): string {
  return `${JSON.stringify(line)}\n`;
}
