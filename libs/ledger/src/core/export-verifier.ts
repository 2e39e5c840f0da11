import { StringDecoder } from 'node:string_decoder';
import { decodeBase64Strict } from './base64.js';
import { consistencyProof, verifyConsistency } from './consistency-proof.js';
import { ENTRY_LINE_KEYS, EXPORT_FORMAT, EXPORT_VERSION, HEAD_LINE_KEYS } from './export-format.js';
import { hashPrefixedLeaf, isHashAlgorithm, type HashAlgorithm } from './hash-algorithm.js';
import { serializeEntryJcs } from './entry-serializer.js';
import { LEAF_ENCODING } from './leaf-encoding.js';
import { entryProblem, type LedgerEntry } from './ledger-entry.js';
import { MemoryNodeStore } from './memory-node-store.js';
import { appendLeaves, rootAt } from './merkle-tree.js';
import { bytesEqual } from './proof-bytes.js';
import { treeHeadProblem, verifyTreeHeadSignature, type SignedTreeHead } from './tree-head.js';

/**
 * Outcome of verifying an export. A failure names the first problem in file order:
 * `entry` with the leaf index at that position, `head` with the head's treeSize, or `export`
 * for structural problems (no header, unreadable line, no head). `line` is 1-based.
 */
export type ExportVerdict =
  | {
      ok: true;
      entries: number;
      heads: number;
      treeSize: number;
      rootHash: string;
      hashAlgorithm: HashAlgorithm;
    }
  | { ok: false; kind: 'entry'; index: number; line: number; reason: string }
  | { ok: false; kind: 'head'; treeSize: number; line: number; reason: string }
  | { ok: false; kind: 'export'; line: number; reason: string };

type Failure = Extract<ExportVerdict, { ok: false }>;

export type ExportChunks =
  string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Leaf hashes are buffered and appended to the in-memory tree in batches of this size. */
const APPEND_BATCH = 1 << 16;

/**
 * Verifies a ledger export (format: see `export-format.ts`) offline against the address that
 * signs tree heads. Streams: leaf inputs are dropped once hashed; memory is about 64 bytes per
 * entry (the perfect-subtree hashes). Checks, in file order: header; each entry's index, that its
 * fields re-encode to exactly its leafInput, and its leaf hash; each head's form, signature, root
 * (recomputed from the leaves) and consistency with the previous head (RFC 9162 proof built from
 * the leaves and verified); finally that the last head covers every entry.
 *
 * `source`: the NDJSON text, or its chunks in any split (e.g. a `fs.createReadStream`).
 */
export async function verifyExport(source: ExportChunks, expectedAddress: string): Promise<ExportVerdict> {
  const verification = new ExportVerification(expectedAddress);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNumber = 0;
  const feed = async (text: string): Promise<Failure | undefined> => {
    const lines = (carry + text).split('\n');
    carry = lines.pop()!;
    for (const line of lines) {
      lineNumber += 1;
      if (line.length === 0) continue;
      const failure =
        verification.acceptText(line, lineNumber) ??
        (verification.hasPendingHead ? await verification.settle() : undefined);
      if (failure) return failure;
    }
    return undefined;
  };
  for await (const chunk of toIterable(source)) {
    const failure = await feed(
      typeof chunk === 'string'
        ? chunk
        : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    );
    if (failure) return failure;
  }
  const failure = await feed(decoder.end() + '\n');
  return failure ?? verification.finish(lineNumber);
}

/** As `verifyExport`, for lines already parsed into objects (line numbers count the objects). */
export async function verifyExportLines(
  lines: Iterable<unknown> | AsyncIterable<unknown>,
  expectedAddress: string,
): Promise<ExportVerdict> {
  const verification = new ExportVerification(expectedAddress);
  let lineNumber = 0;
  for await (const value of lines) {
    lineNumber += 1;
    const failure =
      verification.accept(value, lineNumber) ??
      (verification.hasPendingHead ? await verification.settle() : undefined);
    if (failure) return failure;
  }
  return verification.finish(lineNumber);
}

async function* toIterable(source: ExportChunks): AsyncIterable<string | Uint8Array> {
  if (typeof source === 'string' || source instanceof Uint8Array) yield source;
  else yield* source;
}

interface VerifiedHead {
  treeSize: number;
  rootHash: Uint8Array;
  timestamp: number;
}

/**
 * The verification state machine. Entry lines are checked synchronously (the hot path); a head
 * line is queued and checked by `settle()`, which needs the asynchronous tree store.
 */
class ExportVerification {
  private hashAlgorithm: HashAlgorithm | undefined;
  private store: MemoryNodeStore | undefined;
  private entries = 0;
  private pending: Uint8Array[] = [];
  private pendingHead: { head: SignedTreeHead; line: number } | undefined;
  private lastHead: VerifiedHead | undefined;
  private heads = 0;

  constructor(private readonly expectedAddress: string) {}

  acceptText(text: string, line: number): Failure | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Attribute an unreadable line to what it most likely was, so a damaged entry is named.
      const headSize = /"type":"sth"/.test(text) ? /"treeSize":(\d+)/.exec(text) : null;
      if (this.hashAlgorithm !== undefined && /"type":"sth"/.test(text)) {
        return {
          ok: false,
          kind: 'head',
          treeSize: headSize ? Number(headSize[1]) : Number.NaN,
          line,
          reason: 'line is not valid JSON',
        };
      }
      return this.lineFailure(line, 'line is not valid JSON');
    }
    return this.accept(value, line);
  }

  accept(value: unknown, line: number): Failure | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return this.lineFailure(line, 'line is not a JSON object');
    const record = value as Record<string, unknown>;
    if (this.hashAlgorithm === undefined) return this.header(record, line);
    if (record.type === 'entry') return this.entry(record, line);
    if (record.type === 'sth') {
      this.pendingHead = { head: record as unknown as SignedTreeHead, line };
      return undefined;
    }
    const reason = `unknown line type ${JSON.stringify(record.type)}`;
    if ('signature' in record) {
      const treeSize = typeof record.treeSize === 'number' ? record.treeSize : Number.NaN;
      return { ok: false, kind: 'head', treeSize, line, reason };
    }
    return this.lineFailure(line, reason);
  }

  get hasPendingHead(): boolean {
    return this.pendingHead !== undefined;
  }

  /** Checks a queued head line, if any. */
  async settle(): Promise<Failure | undefined> {
    const queued = this.pendingHead;
    if (!queued) return undefined;
    this.pendingHead = undefined;
    return this.head(queued.head, queued.line);
  }

  async finish(lastLine: number): Promise<ExportVerdict> {
    await this.flushing;
    if (this.hashAlgorithm === undefined)
      return { ok: false, kind: 'export', line: lastLine, reason: 'the export has no header' };
    if (!this.lastHead)
      return { ok: false, kind: 'export', line: lastLine, reason: 'the export has no signed tree head' };
    if (this.lastHead.treeSize < this.entries) {
      return {
        ok: false,
        kind: 'entry',
        index: this.lastHead.treeSize,
        line: lastLine,
        reason: 'entry is not covered by any signed tree head',
      };
    }
    return {
      ok: true,
      entries: this.entries,
      heads: this.heads,
      treeSize: this.lastHead.treeSize,
      rootHash: Buffer.from(this.lastHead.rootHash).toString('base64'),
      hashAlgorithm: this.hashAlgorithm,
    };
  }

  private lineFailure(line: number, reason: string): Failure {
    return this.hashAlgorithm === undefined
      ? { ok: false, kind: 'export', line, reason: `header: ${reason}` }
      : { ok: false, kind: 'entry', index: this.entries, line, reason };
  }

  private header(record: Record<string, unknown>, line: number): Failure | undefined {
    const bad = (reason: string): Failure => ({
      ok: false,
      kind: 'export',
      line,
      reason: `header: ${reason}`,
    });
    if (record.type !== 'header') return bad('the first line must be the header');
    if (record.format !== EXPORT_FORMAT || record.version !== EXPORT_VERSION)
      return bad(`unsupported format, expected ${EXPORT_FORMAT} version ${EXPORT_VERSION}`);
    if (record.leafEncoding !== LEAF_ENCODING)
      return bad(`unsupported leaf encoding, expected ${LEAF_ENCODING}`);
    if (!isHashAlgorithm(record.hashAlgorithm)) return bad("hashAlgorithm must be 'sha256' or 'sm3'");
    this.hashAlgorithm = record.hashAlgorithm;
    this.store = new MemoryNodeStore(record.hashAlgorithm);
    return undefined;
  }

  private entry(record: Record<string, unknown>, line: number): Failure | undefined {
    const index = this.entries;
    const bad = (reason: string): Failure => ({ ok: false, kind: 'entry', index, line, reason });
    if (record.leafIndex !== index)
      return bad(`expected leafIndex ${index}, found ${JSON.stringify(record.leafIndex)}`);
    const extra = Object.keys(record).find((key) => !ENTRY_LINE_KEYS.includes(key));
    if (extra !== undefined) return bad(`unexpected property "${extra}"`);
    const fields = {
      index,
      time: record.time,
      actor: record.actor,
      action: record.action,
      subjectIds: record.subjectIds,
      payload: record.payload,
    };
    const problem = entryProblem(fields);
    if (problem) return bad(problem);
    // Encode the fields once into 0x00 || leafInput: compared as base64 with the line, then hashed as is.
    const canonical = serializeEntryJcs(fields as LedgerEntry);
    const prefixed = Buffer.allocUnsafe(1 + Buffer.byteLength(canonical));
    prefixed[0] = 0x00;
    prefixed.write(canonical, 1, 'utf8');
    if (prefixed.toString('base64', 1) !== record.leafInput) {
      return bad(
        decodeBase64Strict(record.leafInput)
          ? 'the entry fields do not encode to its leafInput'
          : 'leafInput is not standard base64',
      );
    }
    this.pending.push(hashPrefixedLeaf(this.hashAlgorithm!, prefixed));
    this.entries += 1;
    if (this.pending.length >= APPEND_BATCH) this.flushInBackground();
    return undefined;
  }

  // Entry checks stay synchronous: full batches are appended on a promise chain that every head
  // check (and `finish`) awaits before reading the tree.
  private flushing: Promise<void> = Promise.resolve();

  private flushInBackground(): void {
    const batch = this.pending;
    this.pending = [];
    const store = this.store!;
    this.flushing = this.flushing.then(async () => {
      await appendLeaves(store, await store.size(), batch);
    });
  }

  private async flush(): Promise<void> {
    this.flushInBackground();
    await this.flushing;
  }

  private async head(head: SignedTreeHead, line: number): Promise<Failure | undefined> {
    const treeSize = typeof head.treeSize === 'number' ? head.treeSize : Number.NaN;
    const bad = (reason: string): Failure => ({ ok: false, kind: 'head', treeSize, line, reason });
    const extra = Object.keys(head).find((key) => !HEAD_LINE_KEYS.includes(key));
    if (extra !== undefined) return bad(`unexpected property "${extra}"`);
    const problem = treeHeadProblem(head);
    if (problem) return bad(problem);
    if (head.hashAlgorithm !== this.hashAlgorithm)
      return bad(`hashAlgorithm ${head.hashAlgorithm} differs from the header's ${this.hashAlgorithm}`);
    if (head.treeSize > this.entries)
      return bad(`head covers ${head.treeSize} entries but only ${this.entries} precede it`);
    const signature = verifyTreeHeadSignature(head, this.expectedAddress);
    if (!signature.ok) return bad(`signature: ${signature.reason}`);

    await this.flush();
    const store = this.store!;
    const claimedRoot = decodeBase64Strict(head.rootHash)!;
    if (!bytesEqual(await rootAt(store, head.treeSize), claimedRoot))
      return bad('rootHash is not the root of the exported entries');

    const previous = this.lastHead;
    if (previous) {
      if (head.treeSize < previous.treeSize)
        return bad(`treeSize is smaller than the previous head's ${previous.treeSize}`);
      if (head.timestamp < previous.timestamp) return bad('timestamp is earlier than the previous head');
      const consistency = verifyConsistency({
        hashAlgorithm: store.hashAlgorithm,
        first: previous.treeSize,
        second: head.treeSize,
        firstRoot: previous.rootHash,
        secondRoot: claimedRoot,
        proof: await consistencyProof(store, previous.treeSize, head.treeSize),
      });
      if (!consistency.ok) return bad(`not consistent with the previous head: ${consistency.reason}`);
    }
    this.lastHead = { treeSize: head.treeSize, rootHash: claimedRoot, timestamp: head.timestamp };
    this.heads += 1;
    return undefined;
  }
}
