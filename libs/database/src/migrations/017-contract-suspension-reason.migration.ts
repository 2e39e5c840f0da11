import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * A suspended contract keeps why it is suspended, as suspended listings and organisations keep theirs
 * (`status_reason`): the parties read it on the contract and the regulators' suspensions view lists it. Null when
 * the contract is not suspended. Contracts suspended before this migration have their reason on the ledger only.
 */
export class Migration017ContractSuspensionReason extends PortableMigration {
  override name = '017-contract-suspension-reason';

  protected statements(_d: SqlDialect): string[] {
    return [`alter table "contracts" add column "suspension_reason" varchar(1000) null`];
  }
}
