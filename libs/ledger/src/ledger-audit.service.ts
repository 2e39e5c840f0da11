import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { hashLeaf } from './core/hash-algorithm.js';
import { decodeLeafInput } from './core/leaf-encoding.js';
import { MerkleFrontier } from './core/merkle-frontier.js';
import { rootAt } from './core/merkle-tree.js';
import { verifyTreeHeadSignature } from './core/tree-head.js';
import { LedgerReader } from './ledger-reader.js';

export type LedgerVerification =
  | { ok: true; entries: number; heads: number; treeSize: number; rootHash: string }
  | { ok: false; kind: 'entry'; leafIndex: number; reason: string; entries: number }
  | { ok: false; kind: 'head'; treeSize: number; reason: string; entries: number };

const PAGE = 5000;

/**
 * Checks the stored ledger against itself: every entry's bytes decode to a canonical entry with its own index and
 * hash to the stored leaf; the leaves fold to every stored head's root; every head is signed by the ledger key; the
 * stored interior nodes give the same root. Reports the first problem.
 */
@Injectable()
export class LedgerAuditService {
  constructor(
    private readonly reader: LedgerReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(signerAddress: string): Promise<LedgerVerification> {
    const algorithm = this.config.ledgerHash;
    const size = await this.reader.size();
    const heads = await this.reader.heads(size);
    const frontier = new MerkleFrontier(algorithm, 0, []);
    let nextHead = 0;
    const checkHeadsAt = (treeSize: number): LedgerVerification | null => {
      while (nextHead < heads.length && heads[nextHead].treeSize === treeSize) {
        const head = heads[nextHead++];
        if (Buffer.from(frontier.root()).toString('base64') !== head.rootHash) {
          return {
            ok: false,
            kind: 'head',
            treeSize,
            reason: 'root differs from the stored entries',
            entries: treeSize,
          };
        }
        const signature = verifyTreeHeadSignature(head, signerAddress);
        if (!signature.ok)
          return { ok: false, kind: 'head', treeSize, reason: signature.reason, entries: treeSize };
      }
      return null;
    };
    const early = checkHeadsAt(0);
    if (early) return early;
    for (let start = 0; start < size; start += PAGE) {
      const end = Math.min(size, start + PAGE);
      const [entries, leaves] = await Promise.all([
        this.reader.range(start, end),
        this.reader.treeLeafHashes(start, end),
      ]);
      for (let index = start; index < end; index++) {
        const entry = entries[index - start];
        const problem = (reason: string): LedgerVerification => ({
          ok: false,
          kind: 'entry',
          leafIndex: index,
          reason,
          entries: index,
        });
        if (!entry || entry.leafIndex !== index) return problem('entry is missing');
        try {
          if (decodeLeafInput(entry.leafInput).index !== index) return problem('entry says another index');
        } catch (error) {
          return problem((error as Error).message);
        }
        const leafHash = Buffer.from(hashLeaf(algorithm, entry.leafInput));
        if (!leafHash.equals(entry.leafHash))
          return problem('entry bytes do not hash to its recorded leaf hash');
        if (!leaves.get(index)?.equals(leafHash))
          return problem('entry bytes do not hash to the leaf in the Merkle tree');
        frontier.push(leafHash, () => undefined);
        const headProblem = checkHeadsAt(index + 1);
        if (headProblem) return headProblem;
      }
    }
    const root = Buffer.from(frontier.root());
    const stored = Buffer.from(await rootAt(this.reader.nodeStore(algorithm), size));
    if (!root.equals(stored)) {
      return {
        ok: false,
        kind: 'head',
        treeSize: size,
        reason: 'stored interior nodes give another root',
        entries: size,
      };
    }
    return {
      ok: true,
      entries: size,
      heads: heads.length,
      treeSize: size,
      rootHash: root.toString('base64'),
    };
  }
}
