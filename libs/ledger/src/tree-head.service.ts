import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import type { Wallet } from 'ethers';
import { APP_CONFIG, Clock, NotFound, type AppConfig } from '@app/core';
import { rootAt } from './core/merkle-tree.js';
import { signTreeHead, type SignedTreeHead } from './core/tree-head.js';
import { LedgerReader } from './ledger-reader.js';

export const LEDGER_KEY = Symbol('LEDGER_KEY');

/**
 * Signed tree heads. A head is made only for the ledger's current size, so heads ordered by size are also ordered by
 * time, as the export format requires; a past size answers with the head stored for it, or not found.
 */
@Injectable()
export class TreeHeadService {
  constructor(
    private readonly reader: LedgerReader,
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEDGER_KEY) private readonly key: Wallet,
  ) {}

  get signerAddress(): string {
    return this.key.address;
  }

  /** The head at the current size, signing and storing it when the ledger grew since the newest head. */
  async current(): Promise<SignedTreeHead> {
    const size = await this.reader.size();
    const stored = await this.reader.head(size);
    if (stored) return stored;
    const root = await rootAt(this.reader.nodeStore(this.config.ledgerHash), size);
    const head = await signTreeHead(this.key, {
      treeSize: size,
      rootHash: Buffer.from(root).toString('base64'),
      timestamp: this.clock.now().getTime(),
      hashAlgorithm: this.config.ledgerHash,
    });
    // Two requests may sign the same size at once; the first stored wins and both answer with it.
    await (this.orm.em.getConnection() as AbstractSqlConnection).execute(
      `insert into "ledger_heads" ("tree_size", "root_hash", "timestamp_ms", "hash_algorithm", "signature", "signer")
       values (?, ?, ?, ?, ?, ?) on conflict ("tree_size") do nothing`,
      [
        size,
        Buffer.from(root).toString('hex'),
        head.timestamp,
        head.hashAlgorithm,
        head.signature,
        this.key.address,
      ],
    );
    return (await this.reader.head(size))!;
  }

  async at(treeSize: number): Promise<SignedTreeHead> {
    const head = await this.reader.head(treeSize);
    if (!head) throw new NotFound(`tree head at size ${treeSize}`, 'tree_head_not_found');
    return head;
  }
}
