import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { exportHeaderLine, exportHeadLine, formatExportLine, storedEntryLine } from './core/export-format.js';
import { verifyExport, type ExportVerdict } from './core/export-verifier.js';
import { rootAt } from './core/merkle-tree.js';
import type { SignedTreeHead } from './core/tree-head.js';
import { LedgerStore, type StoredEntry } from './ledger-store.js';
import { TreeHeadService } from './tree-head.service.js';

export type LedgerVerification =
  | { ok: true; entries: number; heads: number; treeSize: number; rootHash: string }
  | { ok: false; kind: 'entry'; leafIndex: number; reason: string; entries: number }
  | { ok: false; kind: 'head'; treeSize: number; reason: string; entries: number }
  | { ok: false; kind: 'export'; reason: string; entries: number };

/** Entries read per page when exporting or verifying. */
const PAGE = 2000;

type PageObserver = (entries: readonly StoredEntry[], treeLeafHashes: ReadonlyMap<number, Buffer>) => void;

/**
 * The ledger as a regulator audits it: its export, and the check of the stored ledger, which is the offline
 * verifier's check of that very export plus what only the database shows.
 */
@Injectable()
export class LedgerAuditService {
  constructor(
    private readonly store: LedgerStore,
    private readonly heads: TreeHeadService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The export of the ledger up to `head` (format: `export-format.ts`), as NDJSON text a page at a time: the
   * header, every entry as stored (its exact bytes, with the leaf hash the tree holds for it), then every signed
   * head up to `head`. The one writer of exports. Precondition: `head` is a stored head (e.g. `current()`).
   * `observe` sees each page of stored entries as it is exported.
   */
  async *exportText(head: SignedTreeHead, observe?: PageObserver): AsyncGenerator<string> {
    yield formatExportLine(exportHeaderLine(this.config.ledgerHash));
    for (let start = 0; start < head.treeSize; start += PAGE) {
      const end = Math.min(start + PAGE, head.treeSize);
      const [page, tree] = await Promise.all([
        this.store.range(start, end),
        this.store.treeLeafHashes(start, end),
      ]);
      observe?.(page, tree);
      let text = '';
      for (const entry of page)
        text += formatExportLine(
          storedEntryLine(entry.leafIndex, entry.leafInput, tree.get(entry.leafIndex)),
        );
      yield text;
    }
    let text = '';
    for (const stored of await this.store.heads(head.treeSize))
      text += formatExportLine(exportHeadLine(stored));
    yield text;
  }

  /**
   * Checks the stored ledger up to the current head. First exactly what `exchange ledger verify` checks, by running
   * the same verifier over the export `exportText` writes: so on any export the two name the same first problem,
   * or both accept it. Only when that passes, what the export cannot show: every entry's recorded leaf hash, and
   * that the stored interior nodes (which proofs are built from) give the same root.
   */
  async verify(): Promise<LedgerVerification> {
    const head = await this.heads.current();
    let stored: { leafIndex: number; reason: string } | undefined;
    const observe: PageObserver = (page, tree) => {
      for (const entry of page) {
        if (stored) return;
        const leaf = tree.get(entry.leafIndex);
        if (!leaf)
          stored = { leafIndex: entry.leafIndex, reason: 'the Merkle tree has no leaf for this entry' };
        else if (!leaf.equals(entry.leafHash))
          stored = {
            leafIndex: entry.leafIndex,
            reason: "the entry's recorded leaf hash differs from the tree's",
          };
      }
    };
    const verdict = await verifyExport(this.exportText(head, observe), this.heads.signerAddress, {
      workers: 0,
    });
    if (!verdict.ok) return fromExportVerdict(verdict);
    if (stored) return { ok: false, kind: 'entry', ...stored, entries: stored.leafIndex };
    let treeRoot: string;
    try {
      treeRoot = Buffer.from(
        await rootAt(this.store.nodes(this.config.ledgerHash), verdict.treeSize),
      ).toString('base64');
    } catch (error) {
      treeRoot = `unreadable (${(error as Error).message})`;
    }
    if (treeRoot !== verdict.rootHash) {
      return {
        ok: false,
        kind: 'head',
        treeSize: verdict.treeSize,
        reason: 'the stored interior nodes give another root than the entries',
        entries: verdict.entries,
      };
    }
    return {
      ok: true,
      entries: verdict.entries,
      heads: verdict.heads,
      treeSize: verdict.treeSize,
      rootHash: verdict.rootHash,
    };
  }
}

function fromExportVerdict(verdict: Extract<ExportVerdict, { ok: false }>): LedgerVerification {
  switch (verdict.kind) {
    case 'entry':
      return {
        ok: false,
        kind: 'entry',
        leafIndex: verdict.index,
        reason: verdict.reason,
        entries: verdict.index,
      };
    case 'head':
      return {
        ok: false,
        kind: 'head',
        treeSize: verdict.treeSize,
        reason: verdict.reason,
        entries: verdict.treeSize,
      };
    case 'export':
      return { ok: false, kind: 'export', reason: verdict.reason, entries: 0 };
  }
}
