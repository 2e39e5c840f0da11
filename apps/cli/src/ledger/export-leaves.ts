import { StringDecoder } from 'node:string_decoder';
import {
  decodeBase64Strict,
  HASH_SIZE,
  hashLeaf,
  isHashAlgorithm,
  MerkleFrontier,
  type HashAlgorithm,
} from '@app/ledger';

/** A signed tree head as seen in the export: its size, root (0x hex) and 1-based line. */
export interface ExportHead {
  treeSize: number;
  rootHex: string;
  line: number;
}

/**
 * Watches the same chunks `verifyExport` reads and keeps what anchor checks need: every entry's
 * leaf hash (32 bytes each, in one growing Buffer; leaf inputs are dropped once hashed) and the
 * first head at each tree size. It trusts nothing and never fails: anything it cannot read is
 * skipped, because its results are used only once `verifyExport` has accepted the same bytes
 * (then entries are in leaf order without gaps and every head's root is the root of the leaves).
 */
export class ExportLeafCollector {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private lineNumber = 0;
  private algorithm: HashAlgorithm | undefined;
  private hashes = Buffer.allocUnsafe(HASH_SIZE * 1024);
  private count = 0;
  private readonly headsBySize = new Map<number, ExportHead>();

  get hashAlgorithm(): HashAlgorithm | undefined {
    return this.algorithm;
  }

  get leafCount(): number {
    return this.count;
  }

  /** The first head line at each tree size, in file order. */
  get heads(): ExportHead[] {
    return [...this.headsBySize.values()];
  }

  headAt(treeSize: number): ExportHead | undefined {
    return this.headsBySize.get(treeSize);
  }

  write(chunk: string | Uint8Array): void {
    const text =
      typeof chunk === 'string'
        ? chunk
        : this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.feed(text);
  }

  end(): void {
    this.feed(this.decoder.end() + '\n');
  }

  /**
   * MTH(D[0:size]) as 0x hex for each requested size in [0, leafCount]; sizes outside are
   * ignored. One pass over the leaf hashes with an O(log n) frontier.
   */
  rootsAt(sizes: Iterable<number>): Map<number, string> {
    const roots = new Map<number, string>();
    const algorithm = this.algorithm;
    if (algorithm === undefined) return roots;
    const wanted = [...new Set(sizes)]
      .filter((size) => Number.isSafeInteger(size) && size >= 0 && size <= this.count)
      .sort((a, b) => a - b);
    const frontier = new MerkleFrontier(algorithm);
    for (const size of wanted) {
      while (frontier.size < size) {
        const offset = frontier.size * HASH_SIZE;
        frontier.push(this.hashes.subarray(offset, offset + HASH_SIZE));
      }
      roots.set(size, toHex(frontier.root()));
    }
    return roots;
  }

  private feed(text: string): void {
    const lines = (this.carry + text).split('\n');
    this.carry = lines.pop()!;
    for (const line of lines) {
      this.lineNumber += 1;
      if (line.length > 0) this.accept(line);
    }
  }

  private accept(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const record = value as Record<string, unknown>;
    if (this.algorithm === undefined) {
      if (record.type === 'header' && isHashAlgorithm(record.hashAlgorithm))
        this.algorithm = record.hashAlgorithm;
      return;
    }
    if (record.type === 'entry') {
      const leafInput = decodeBase64Strict(record.leafInput);
      if (leafInput) this.pushLeafHash(hashLeaf(this.algorithm, leafInput));
    } else if (record.type === 'sth') {
      const root = decodeBase64Strict(record.rootHash);
      const { treeSize } = record;
      if (typeof treeSize === 'number' && root?.length === HASH_SIZE && !this.headsBySize.has(treeSize))
        this.headsBySize.set(treeSize, { treeSize, rootHex: toHex(root), line: this.lineNumber });
    }
  }

  private pushLeafHash(leafHash: Uint8Array): void {
    const offset = this.count * HASH_SIZE;
    if (offset + HASH_SIZE > this.hashes.length) {
      const grown = Buffer.allocUnsafe(this.hashes.length * 2);
      this.hashes.copy(grown, 0, 0, offset);
      this.hashes = grown;
    }
    this.hashes.set(leafHash, offset);
    this.count += 1;
  }
}

export function toHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}
