import { StringDecoder } from 'node:string_decoder';
import { decodeBase64Strict } from './base64.js';
import { consistencyProof, verifyConsistency } from './consistency-proof.js';
import { checkExportEntry } from './export-entry-check.js';
import { EXPORT_FORMAT, EXPORT_VERSION, HEAD_LINE_KEYS } from './export-format.js';
import { defaultExportWorkers, ExportWorkerPool, type ChunkAnswer } from './export-worker-pool.js';
import { HASH_SIZE, isHashAlgorithm, type HashAlgorithm } from './hash-algorithm.js';
import { LEAF_ENCODING } from './leaf-encoding.js';
import { LedgerError } from './ledger-error.js';
import { MemoryNodeStore } from './memory-node-store.js';
import { rootAt } from './merkle-tree.js';
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
      /** What was verified, with `keepTree` (see `VerifiedTree`). */
      tree?: VerifiedTree;
    }
  | { ok: false; kind: 'entry'; index: number; line: number; reason: string }
  | { ok: false; kind: 'head'; treeSize: number; line: number; reason: string }
  | { ok: false; kind: 'export'; line: number; reason: string };

type Failure = Extract<ExportVerdict, { ok: false }>;

/** A signed head of a verified export: its size, root, time and 1-based line. */
export interface VerifiedHead {
  treeSize: number;
  rootHash: Uint8Array;
  timestamp: number;
  line: number;
}

/**
 * The tree a successful verification built from the export's leaves, so a caller (e.g. a check of on-chain
 * anchors) uses exactly what was verified instead of reading the export again.
 */
export interface VerifiedTree {
  /** The first head line at each tree size, in file order (so in size order). */
  readonly heads: readonly VerifiedHead[];
  /** MTH of the first `treeSize` exported entries. Precondition: 0 <= treeSize <= entries (throws otherwise). */
  rootAt(treeSize: number): Promise<Uint8Array>;
}

export type ExportChunks =
  string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Leaf hashes are buffered and appended to the in-memory tree in batches of this size. */
const APPEND_BATCH = 1 << 16;

/** Bytes per chunk handed to a worker; also the input size up to which no worker is started. */
const CHUNK_BYTES = 4 << 20;

export interface VerifyExportOptions {
  /**
   * Worker threads that check entries in parallel, default `os.availableParallelism()` (at least 2);
   * 0 verifies everything on the calling thread. Workers start only for inputs over one chunk.
   */
  workers?: number;
  /** A started pool to use instead (left running); see `ExportWorkerPool`. */
  pool?: ExportWorkerPool;
  /** Chunk size in bytes (default 4 MiB); a chunk grows to hold at least one whole line. */
  chunkBytes?: number;
  /** Return the verified tree and heads with a successful verdict (`tree`); it keeps ~64 bytes per entry. */
  keepTree?: boolean;
}

/**
 * Verifies a ledger export (format: see `export-format.ts`) offline against the address that
 * signs tree heads. Streams: leaf inputs are dropped once hashed; memory is about 64 bytes per
 * entry (the perfect-subtree hashes) plus a few chunks. Checks, in file order: header; each
 * entry's index, that its fields re-encode to exactly its leafInput, and its leaf hash; each
 * head's form, signature, root (recomputed from the leaves) and consistency with the previous
 * head (RFC 9162 proof built from the leaves and verified); finally that the last head covers
 * every entry.
 *
 * Large byte inputs are cut into newline-aligned chunks that worker threads check (entries and
 * leaf hashes); this thread keeps file order, builds the tree and checks the heads. A chunk in
 * which a worker meets anything but valid entries and head lines is re-verified here, line by
 * line, so the verdict (first problem in file order, its line and reason) is the same as on one
 * thread. Text (string) input, small input, and hosts where a worker cannot start are verified
 * on the calling thread.
 *
 * `source`: the NDJSON text, or its chunks in any split (e.g. a `fs.createReadStream`).
 */
export async function verifyExport(
  source: ExportChunks,
  expectedAddress: string,
  options: VerifyExportOptions = {},
): Promise<ExportVerdict> {
  const run = new ExportRun(new ExportVerification(expectedAddress, options.keepTree === true), options);
  try {
    return await run.verify(source);
  } finally {
    await run.close();
  }
}

/** One `verifyExport` call: reading, chunking, dispatching to workers and consuming in order. */
class ExportRun {
  private lineNumber = 0;
  private readonly chunkBytes: number;
  private readonly workers: number;
  private pool: ExportWorkerPool | undefined;
  private ownPool = false;
  private poolReady = false;
  private readonly inFlight: Promise<ChunkAnswer>[] = [];
  private chunks = 0;

  constructor(
    private readonly verification: ExportVerification,
    options: VerifyExportOptions,
  ) {
    this.chunkBytes = Math.max(1, options.chunkBytes ?? CHUNK_BYTES);
    this.workers = options.workers ?? defaultExportWorkers();
    if (options.pool) {
      this.pool = options.pool;
      options.pool.ready.then(
        () => (this.poolReady = true),
        () => undefined,
      );
    }
  }

  async verify(source: ExportChunks): Promise<ExportVerdict> {
    const iterator = toIterable(source)[Symbol.asyncIterator]();
    try {
      return await this.read(iterator);
    } finally {
      // Like leaving a for-await loop: lets a stream source close (a no-op once it has ended).
      await iterator.return?.();
    }
  }

  private async read(iterator: AsyncIterator<string | Uint8Array>): Promise<ExportVerdict> {
    let buffer = new Uint8Array(this.chunkBytes);
    let length = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const piece = next.value;
      if (typeof piece === 'string') {
        // Text keeps the single-threaded path: it is already decoded, and may split surrogate pairs.
        const failure = await this.drain();
        if (failure) return failure;
        return this.sequentialRest(buffer.subarray(0, length), piece, iterator);
      }
      for (let at = 0; at < piece.length;) {
        const n = Math.min(buffer.length - length, piece.length - at);
        buffer.set(piece.subarray(at, at + n), length);
        length += n;
        at += n;
        if (length < buffer.length) continue;
        const cut = buffer.lastIndexOf(0x0a) + 1;
        const next = new Uint8Array(
          cut === 0 ? buffer.length * 2 : Math.max(this.chunkBytes, 2 * (length - cut)),
        );
        next.set(buffer.subarray(cut, length));
        length -= cut;
        const chunk = buffer.subarray(0, cut);
        buffer = next;
        if (cut === 0) continue; // a line longer than the chunk: grow it
        const failure = await this.chunk(chunk);
        if (failure) return failure;
      }
    }
    // The end of input ends the last line, as if a '\n' followed (so the line count is one more than the '\n's).
    if (length === buffer.length) {
      const grown = new Uint8Array(length + 1);
      grown.set(buffer);
      buffer = grown;
    }
    buffer[length] = 0x0a;
    const failure = (await this.chunk(buffer.subarray(0, length + 1))) ?? (await this.drain());
    return failure ?? this.verification.finish(this.lineNumber);
  }

  async close(): Promise<void> {
    if (this.ownPool) await this.pool?.close();
  }

  /** Takes the next newline-aligned chunk, in file order. */
  private async chunk(bytes: Uint8Array): Promise<Failure | undefined> {
    this.chunks += 1;
    if (this.chunks === 2 && !this.pool && this.workers > 0) this.startPool();
    const hashAlgorithm = this.verification.algorithm;
    if (this.pool && this.poolReady && hashAlgorithm !== undefined) {
      const answer = this.pool.verify(bytes, hashAlgorithm);
      // Answers left unread after an early verdict (or a closed pool) must not reject unhandled.
      answer.catch(() => undefined);
      this.inFlight.push(answer);
      return this.inFlight.length > 2 * this.pool.size ? this.consume() : undefined;
    }
    return (await this.drain()) ?? this.local(bytes);
  }

  private startPool(): void {
    try {
      const pool = new ExportWorkerPool(this.workers);
      this.pool = pool;
      this.ownPool = true;
      pool.ready.then(
        () => (this.poolReady = true),
        // A worker that cannot start leaves the rest of the export to this thread.
        () => {
          if (this.pool === pool) this.pool = undefined;
          void pool.close();
        },
      );
    } catch {
      this.pool = undefined;
    }
  }

  private async drain(): Promise<Failure | undefined> {
    while (this.inFlight.length > 0) {
      const failure = await this.consume();
      if (failure) return failure;
    }
    return undefined;
  }

  /** Applies the oldest worker answer: leaf hashes into the tree, heads checked in order. */
  private async consume(): Promise<Failure | undefined> {
    const { bytes, result } = await this.inFlight.shift()!;
    const verification = this.verification;
    if (!result.ok || (result.entries > 0 && result.base !== verification.entryCount))
      return this.local(bytes);
    let from = 0;
    for (const head of result.heads) {
      verification.appendLeafHashes(result.hashes.subarray(from * HASH_SIZE, head.entriesBefore * HASH_SIZE));
      from = head.entriesBefore;
      const line = this.lineNumber + head.line;
      const failure =
        verification.acceptText(head.text, line) ??
        (verification.hasPendingHead ? await verification.settle() : undefined);
      if (failure) return failure;
    }
    verification.appendLeafHashes(result.hashes.subarray(from * HASH_SIZE));
    this.lineNumber += result.lines;
    return undefined;
  }

  /** Verifies a newline-aligned chunk on this thread, line by line. */
  private async local(bytes: Uint8Array): Promise<Failure | undefined> {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return this.lines(text.split('\n').slice(0, -1));
  }

  private async lines(lines: readonly string[]): Promise<Failure | undefined> {
    const verification = this.verification;
    for (const line of lines) {
      this.lineNumber += 1;
      if (line.length === 0) continue;
      const failure =
        verification.acceptText(line, this.lineNumber) ??
        (verification.hasPendingHead ? await verification.settle() : undefined);
      if (failure) return failure;
    }
    return undefined;
  }

  /** The rest of the input on this thread, from a partial line's bytes and a text piece on. */
  private async sequentialRest(
    tail: Uint8Array,
    piece: string,
    iterator: AsyncIterator<string | Uint8Array>,
  ): Promise<ExportVerdict> {
    const decoder = new StringDecoder('utf8');
    let carry = decoder.write(Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength));
    const feed = async (text: string): Promise<Failure | undefined> => {
      const lines = (carry + text).split('\n');
      carry = lines.pop()!;
      return this.lines(lines);
    };
    let failure = await feed(piece);
    for (let next = await iterator.next(); !failure && !next.done; next = await iterator.next()) {
      const chunk = next.value;
      failure = await feed(
        typeof chunk === 'string'
          ? chunk
          : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
      );
    }
    failure ??= await feed(decoder.end() + '\n');
    return failure ?? this.verification.finish(this.lineNumber);
  }
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

/**
 * The verification state machine. Entry lines are checked synchronously (the hot path); a head
 * line is queued and checked by `settle()`, which needs the asynchronous tree store.
 */
class ExportVerification {
  private hashAlgorithm: HashAlgorithm | undefined;
  private store: MemoryNodeStore | undefined;
  private entries = 0;
  /** Leaf hashes not yet in the tree, packed. */
  private pending = new Uint8Array(APPEND_BATCH * HASH_SIZE);
  private pendingCount = 0;
  private pendingHead: { head: SignedTreeHead; line: number } | undefined;
  private lastHead: VerifiedHead | undefined;
  private heads = 0;
  /** The first head at each size, kept with `keepTree`. */
  private readonly kept: VerifiedHead[] = [];

  constructor(
    private readonly expectedAddress: string,
    private readonly keepTree = false,
  ) {}

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

  get algorithm(): HashAlgorithm | undefined {
    return this.hashAlgorithm;
  }

  /** Entries accepted so far (the leaf index the next entry must have). */
  get entryCount(): number {
    return this.entries;
  }

  /** Accepts entries a worker verified (they continue at `entryCount`): their leaf hashes, packed. */
  appendLeafHashes(packed: Uint8Array): void {
    this.flush();
    this.store!.appendLeafHashes(packed);
    this.entries += packed.length / HASH_SIZE;
  }

  async finish(lastLine: number): Promise<ExportVerdict> {
    if (this.store) this.flush();
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
    const verdict: ExportVerdict = {
      ok: true,
      entries: this.entries,
      heads: this.heads,
      treeSize: this.lastHead.treeSize,
      rootHash: Buffer.from(this.lastHead.rootHash).toString('base64'),
      hashAlgorithm: this.hashAlgorithm,
    };
    if (this.keepTree) {
      const store = this.store!;
      const entries = this.entries;
      verdict.tree = {
        heads: this.kept,
        rootAt: async (treeSize) => {
          if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > entries)
            throw new LedgerError(`tree size ${treeSize} is outside the verified 0..${entries}`);
          return rootAt(store, treeSize);
        },
      };
    }
    return verdict;
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
    const problem = checkExportEntry(
      record,
      index,
      this.hashAlgorithm!,
      this.pending,
      this.pendingCount * HASH_SIZE,
    );
    if (problem !== undefined) return { ok: false, kind: 'entry', index, line, reason: problem };
    this.pendingCount += 1;
    this.entries += 1;
    if (this.pendingCount === APPEND_BATCH) this.flush();
    return undefined;
  }

  /** Moves the buffered leaf hashes into the tree (synchronous: the store is in memory). */
  private flush(): void {
    if (this.pendingCount === 0) return;
    this.store!.appendLeafHashes(this.pending.subarray(0, this.pendingCount * HASH_SIZE));
    this.pendingCount = 0;
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

    this.flush();
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
    const verified = { treeSize: head.treeSize, rootHash: claimedRoot, timestamp: head.timestamp, line };
    if (this.keepTree && previous?.treeSize !== head.treeSize) this.kept.push(verified);
    this.lastHead = verified;
    this.heads += 1;
    return undefined;
  }
}
