import { PortableMigration } from './portable-migration.js';

/**
 * The head lock: one row that a signer of tree heads updates first, so heads are signed one at a time across every
 * API node, in size and time order. A row of its own, so signing never waits on appends (`ledger_state`).
 */
export class Migration005LedgerHeadLock extends PortableMigration {
  override name = '005-ledger-head-lock';

  protected statements(): string[] {
    return [
      `create table "ledger_head_lock" ("id" int not null primary key)`,
      `insert into "ledger_head_lock" ("id") values (1)`,
    ];
  }
}
