import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * The provenance ledger. Entries, their subject index and the Merkle nodes refuse UPDATE and DELETE in the database
 * itself; `ledger_state` is the append lock and the next index.
 */
export class Migration002Ledger extends PortableMigration {
  override name = '002-ledger';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "ledger_state" ("id" int not null primary key, "size" bigint not null,
        "hash_algorithm" varchar(16) null)`,
      `insert into "ledger_state" ("id", "size", "hash_algorithm") values (1, 0, null)`,
      `create table "ledger_entries" ("leaf_index" bigint not null primary key, "recorded_at" ${d.timestamp} not null,
        "actor_account_id" varchar(36) null, "actor_organisation_id" varchar(36) null, "action" varchar(100) not null,
        "leaf_input" text not null, "leaf_hash" varchar(64) not null)`,
      `create index "ledger_entries_recorded_at_index" on "ledger_entries" ("recorded_at")`,
      `create index "ledger_entries_action_index" on "ledger_entries" ("action")`,
      `create index "ledger_entries_actor_account_index" on "ledger_entries" ("actor_account_id")`,
      `create index "ledger_entries_actor_organisation_index" on "ledger_entries" ("actor_organisation_id")`,
      `create table "ledger_subjects" ("leaf_index" bigint not null references "ledger_entries" ("leaf_index"),
        "subject_id" varchar(100) not null, primary key ("subject_id", "leaf_index"))`,
      `create table "ledger_nodes" ("level" int not null, "node_index" bigint not null, "hash" varchar(64) not null,
        primary key ("level", "node_index"))`,
      ...d.appendOnly('ledger_entries'),
      ...d.appendOnly('ledger_subjects'),
      ...d.appendOnly('ledger_nodes'),
    ];
  }
}
