import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Sign-in state every API node shares: attempt counters per key and time window (the throttle when Redis is not
 * configured), and the one-time enrolment link through which an operator or regulator account sets its own password.
 */
export class Migration006IdentityHardening extends PortableMigration {
  override name = '006-identity-hardening';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "attempt_counters" ("key_digest" varchar(64) not null, "window_start" bigint not null,
        "count" int not null, "expires_at_ms" bigint not null, primary key ("key_digest", "window_start"))`,
      `create index "attempt_counters_expires_at_ms_index" on "attempt_counters" ("expires_at_ms")`,
      `alter table "accounts" add column "enrolment_token_hash" varchar(64) null`,
      `alter table "accounts" add column "enrolment_expires_at" ${d.timestamp} null`,
      `create unique index "accounts_enrolment_token_hash_unique" on "accounts" ("enrolment_token_hash")`,
    ];
  }
}
