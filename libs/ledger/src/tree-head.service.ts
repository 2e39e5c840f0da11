import { Inject, Injectable } from '@nestjs/common';
import type { Wallet } from 'ethers';
import { APP_CONFIG, Clock, NotFound, type AppConfig } from '@app/core';
import { UnitOfWork } from '@app/database';
import { encodeBase64 } from './core/base64.js';
import { rootAt } from './core/merkle-tree.js';
import { signTreeHead, type SignedTreeHead } from './core/tree-head.js';
import { LedgerStore } from './ledger-store.js';

export const LEDGER_KEY = Symbol('LEDGER_KEY');

/**
 * Signed tree heads. The ordering rule: a head is made only for the ledger's size at that moment, under the head
 * lock (one signer at a time, across every API node), and carries the later of the clock's time and the newest
 * head's time. So heads ordered by size are strictly growing in size and never go back in time, as the export
 * format and every verifier require, whatever the parallel requests or the nodes' clocks. A past size answers with
 * the head stored for it, or not found.
 */
@Injectable()
export class TreeHeadService {
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
    const [size, newest] = await Promise.all([this.store.size(), this.store.newestHead()]);
    if (newest && newest.treeSize >= size) return newest;
    return this.uow.run(async (em) => {
      const store = LedgerStore.within(em);
      await store.lockHeads();
      // Under the lock: another node may have signed meanwhile, and the ledger may have grown.
      const [size, newest] = [await store.size(), await store.newestHead()];
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

  async at(treeSize: number): Promise<SignedTreeHead> {
    const head = await this.store.head(treeSize);
    if (!head) throw new NotFound(`tree head at size ${treeSize}`, 'tree_head_not_found');
    return head;
  }
}
