import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

export class Migration001Identity extends PortableMigration {
  override name = '001-identity';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "organisations" ("id" varchar(36) not null primary key, "kind" varchar(16) not null,
        "name" varchar(200) not null, "identifier_display" varchar(32) not null,
        "identifier_digest" varchar(64) not null unique, "roles" ${d.json} not null, "status" varchar(16) not null,
        "status_reason" varchar(500) null, "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null)`,
      `create table "accounts" ("id" varchar(36) not null primary key,
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "username" varchar(64) not null unique, "display_name" varchar(200) not null,
        "is_organisation_admin" ${d.bool} not null, "password_hash" varchar(200) not null,
        "totp_secret_sealed" varchar(300) null, "totp_enabled" ${d.bool} not null, "totp_last_step" bigint null,
        "failed_logins" int not null, "locked_until" ${d.timestamp} null, "disabled" ${d.bool} not null,
        "created_at" ${d.timestamp} not null)`,
      `create index "accounts_organisation_id_index" on "accounts" ("organisation_id")`,
      `create table "sessions" ("id" varchar(36) not null primary key,
        "account_id" varchar(36) not null references "accounts" ("id"), "token_hash" varchar(64) not null unique,
        "second_factor_done" ${d.bool} not null, "created_at" ${d.timestamp} not null,
        "expires_at" ${d.timestamp} not null, "revoked_at" ${d.timestamp} null)`,
      `create index "sessions_account_id_index" on "sessions" ("account_id")`,
      `create table "api_tokens" ("id" varchar(36) not null primary key,
        "account_id" varchar(36) not null references "accounts" ("id"), "name" varchar(100) not null,
        "prefix" varchar(16) not null, "token_hash" varchar(64) not null unique, "scopes" ${d.json} not null,
        "created_at" ${d.timestamp} not null, "expires_at" ${d.timestamp} null, "last_used_at" ${d.timestamp} null,
        "revoked_at" ${d.timestamp} null)`,
      `create index "api_tokens_account_id_index" on "api_tokens" ("account_id")`,
    ];
  }
}
