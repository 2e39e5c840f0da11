import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/** Signed tree heads and their anchors on chain; both append-only like the entries they vouch for. */
export class Migration003LedgerHeads extends PortableMigration {
  override name = '003-ledger-heads';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "ledger_heads" ("tree_size" bigint not null primary key, "root_hash" varchar(64) not null,
        "timestamp_ms" bigint not null, "hash_algorithm" varchar(16) not null, "signature" varchar(140) not null,
        "signer" varchar(42) not null)`,
      `create table "ledger_anchors" ("tree_size" bigint not null primary key, "root_hash" varchar(64) not null,
        "chain_id" bigint not null, "contract" varchar(42) not null, "tx_hash" varchar(66) not null,
        "block_number" bigint not null, "anchored_at" ${d.timestamp} not null)`,
      `create table "chain_contracts" ("chain_id" bigint not null primary key, "address" varchar(42) not null,
        "deployed_at" ${d.timestamp} not null)`,
      ...d.appendOnly('ledger_heads'),
      ...d.appendOnly('ledger_anchors'),
    ];
  }
}
