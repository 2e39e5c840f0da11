import { Inject, Injectable } from '@nestjs/common';
import type { Wallet } from 'ethers';
import { APP_CONFIG, Clock, NotFound, type AppConfig } from '@app/core';
import { UnitOfWork } from '@app/database';
import { encodeBase64 } from './core/base64.js';
import { rootAt } from './core/merkle-tree.js';
import { signTreeHead, type SignedTreeHead } from './core/tree-head.js';
import { LedgerStore } from './ledger-store.js';

export const LEDGER_KEY = Symbol('LEDGER_KEY');

/** How long a head counts as recent for `TreeHeadService.recent` (milliseconds). */
export const HEAD_REUSE_MS = 1000;

/**
 * Signed tree heads. The ordering rule: a head is made only for the ledger's size at that moment, under the head
 * lock (one signer at a time, across every API node), and carries the later of the clock's time and the newest
 * head's time. So heads ordered by size are strictly growing in size and never go back in time, as the export
 * format and every verifier require, whatever the parallel requests or the nodes' clocks. A past size answers with
 * the head stored for it, or not found.
 */
@Injectable()
export class TreeHeadService {
  private lastSeen: { head: SignedTreeHead; checkedAt: number } | undefined;

  constructor(
    private readonly store: LedgerStore,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEDGER_KEY) private readonly key: Wallet,
  ) {}

  get signerAddress(): string {
    return this.key.address;
  }

  /** The head at the current size, signing and storing it when the ledger grew since the newest head. */
  async current(): Promise<SignedTreeHead> {
    const checkedAt = this.clock.now().getTime();
    const { size, newest } = await this.store.sizeAndNewestHead();
    if (newest && newest.treeSize >= size) return this.remember(newest, checkedAt);
    return this.remember(await this.sign(), checkedAt);
  }

  /**
   * A signed head for read routes that prove entries against the head they return (`GET /v1/ledger/mine`): at most
   * about 2·HEAD_REUSE_MS behind the ledger. It is the head this process last saw current, if it saw it less than
   * HEAD_REUSE_MS ago (no statement at all); else the newest head if it covers the ledger or was signed less than
   * HEAD_REUSE_MS ago (one statement, no signature); else a new head, signed as `current` signs. So a busy ledger
   * costs a read route one signature a second, not one a request. Every head it returns is a stored signed head, so
   * the ordering rule is untouched; entries appended since are simply not covered by it yet.
   */
  async recent(): Promise<SignedTreeHead> {
    const now = this.clock.now().getTime();
    const seen = this.lastSeen;
    if (seen && now >= seen.checkedAt && now - seen.checkedAt < HEAD_REUSE_MS) return seen.head;
    const { size, newest } = await this.store.sizeAndNewestHead();
    const fresh = newest !== null && now >= newest.timestamp && now - newest.timestamp < HEAD_REUSE_MS;
    if (newest && (newest.treeSize >= size || fresh)) return this.remember(newest, now);
    return this.remember(await this.sign(), now);
  }

  private sign(): Promise<SignedTreeHead> {
    return this.uow.run(async (em) => {
      const store = LedgerStore.within(em);
      await store.lockHeads();
      // Under the lock: another node may have signed meanwhile, and the ledger may have grown.
      const { size, newest } = await store.sizeAndNewestHead();
      if (newest && newest.treeSize >= size) return newest;
      const root = await rootAt(store.nodes(this.config.ledgerHash, size), size);
      const head = await signTreeHead(this.key, {
        treeSize: size,
        rootHash: encodeBase64(root),
        timestamp: Math.max(this.clock.now().getTime(), newest?.timestamp ?? 0),
        hashAlgorithm: this.config.ledgerHash,
      });
      await store.insertHead(head, this.key.address);
      return head;
    });
  }

  /** Keeps the largest head seen current, with the time its check began (parallel calls may finish out of order). */
  private remember(head: SignedTreeHead, checkedAt: number): SignedTreeHead {
    const seen = this.lastSeen;
    if (!seen || head.treeSize > seen.head.treeSize) this.lastSeen = { head, checkedAt };
    else if (head.treeSize === seen.head.treeSize && checkedAt > seen.checkedAt) seen.checkedAt = checkedAt;
    return head;
  }

  async at(treeSize: number): Promise<SignedTreeHead> {
    const head = await this.store.head(treeSize);
    if (!head) throw new NotFound(`tree head at size ${treeSize}`, 'tree_head_not_found');
    return head;
  }
}
