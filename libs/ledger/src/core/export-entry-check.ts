import { hash } from 'node:crypto';
import { decodeBase64Strict } from './base64.js';
import { serializeEntryJcs } from './entry-serializer.js';
import { ENTRY_LINE_KEYS } from './export-format.js';
import { HASH_SIZE, type HashAlgorithm } from './hash-algorithm.js';
import { entryProblem, type LedgerEntry } from './ledger-entry.js';

// Reused for 0x00 || leafInput: no allocation per entry. Worst case UTF-8 is 3 bytes per UTF-16 unit.
let scratch = Buffer.allocUnsafe(1 << 16);

/**
 * Checks one parsed export entry line that must be at leaf `index`: its leafIndex, no property
 * outside the entry line, a valid entry, and that its fields re-encode to exactly its leafInput.
 * Writes the leaf hash H(0x00 || leafInput) into `out` at `at` and returns undefined, or returns
 * the problem. Shared by the verifier's calling thread and its worker threads, so both judge
 * every entry alike.
 */
export function checkExportEntry(
  record: Record<string, unknown>,
  index: number,
  algorithm: HashAlgorithm,
  out: Uint8Array,
  at: number,
): string | undefined {
  if (record.leafIndex !== index)
    return `expected leafIndex ${index}, found ${JSON.stringify(record.leafIndex)}`;
  const extra = Object.keys(record).find((key) => !ENTRY_LINE_KEYS.includes(key));
  if (extra !== undefined) return `unexpected property "${extra}"`;
  const fields = {
    index,
    time: record.time,
    actor: record.actor,
    action: record.action,
    subjectIds: record.subjectIds,
    payload: record.payload,
  };
  const problem = entryProblem(fields);
  if (problem) return problem;
  // Encode the fields once into 0x00 || leafInput: compared as base64 with the line, then hashed as is.
  const canonical = serializeEntryJcs(fields as LedgerEntry);
  if (scratch.length < 1 + 3 * canonical.length) scratch = Buffer.allocUnsafe(2 + 3 * canonical.length);
  scratch[0] = 0x00;
  const end = 1 + scratch.write(canonical, 1, 'utf8');
  if (scratch.toString('base64', 1, end) !== record.leafInput) {
    return decodeBase64Strict(record.leafInput)
      ? 'the entry fields do not encode to its leafInput'
      : 'leafInput is not standard base64';
  }
  const leafHash = hash(algorithm, scratch.subarray(0, end), 'buffer');
  if (record.leafHash !== undefined && leafHash.toString('base64') !== record.leafHash) {
    return 'leafInput does not hash to the leaf the tree holds (leafHash): the entry changed after it was hashed';
  }
  out.set(leafHash, at);
  return undefined;
}

/** What a worker found in one newline-aligned chunk of an export (see `verifyChunk`). */
export interface ChunkResult {
  /** False when any line other than a well-formed entry or a head line was met: re-check on the calling thread. */
  ok: boolean;
  /** Entry lines in the chunk, all verified when `ok`. */
  entries: number;
  /** leafIndex of the chunk's first entry, which every following entry continues (when `entries > 0`). */
  base: number;
  /** The entries' leaf hashes, 32 bytes each, in order. */
  hashes: Uint8Array;
  /** Head lines, unchecked, with their 1-based line within the chunk and the chunk's entries before them. */
  heads: { line: number; entriesBefore: number; text: string }[];
  /** Lines in the chunk: its '\n' count. */
  lines: number;
}

/**
 * Verifies the entry lines of a chunk of export text that ends with '\n', assuming the first entry's
 * leafIndex is right (the calling thread checks it against its count). Stops at the first line that
 * is not a valid entry or a head (`ok: false`); the caller then re-verifies the chunk itself, so
 * failures are always reported by the sequential verifier with its exact line and reason.
 */
export function verifyChunk(text: string, algorithm: HashAlgorithm): ChunkResult {
  const heads: ChunkResult['heads'] = [];
  let hashes = new Uint8Array(Math.max(1024, Math.ceil(text.length / 256)) * HASH_SIZE);
  let entries = 0;
  let base = 0;
  let lines = 0;
  let start = 0;
  const result = (ok: boolean): ChunkResult => ({
    ok,
    entries,
    base,
    hashes: hashes.subarray(0, entries * HASH_SIZE),
    heads,
    lines,
  });
  for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
    lines += 1;
    if (end === start) continue;
    const line = text.slice(start, end);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return result(false);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return result(false);
    const record = value as Record<string, unknown>;
    if (record.type === 'sth') {
      heads.push({ line: lines, entriesBefore: entries, text: line });
      continue;
    }
    if (record.type !== 'entry') return result(false);
    if (entries === 0) {
      if (typeof record.leafIndex !== 'number' || !Number.isSafeInteger(record.leafIndex))
        return result(false);
      base = record.leafIndex;
    }
    if ((entries + 1) * HASH_SIZE > hashes.length) {
      const grown = new Uint8Array(hashes.length * 2);
      grown.set(hashes);
      hashes = grown;
    }
    if (checkExportEntry(record, base + entries, algorithm, hashes, entries * HASH_SIZE) !== undefined)
      return result(false);
    entries += 1;
  }
  return result(true);
}
