import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Result keys (`@app/results`): the X25519 public key each buyer's organisation has results sealed to (HPKE,
 * RFC 9180). One row per organisation, replaced by a conditional update with a `resultKey.registered` ledger entry;
 * the ledger keeps every earlier key. Only public keys: the exchange never holds a buyer's private key.
 */
export class Migration013ResultKeys extends PortableMigration {
  override name = '013-result-keys';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "result_keys" ("organisation_id" varchar(36) not null primary key
          references "organisations" ("id"),
        "public_key" varchar(43) not null, "key_id" varchar(71) not null,
        "registered_by_account_id" varchar(36) not null, "registered_at" ${d.timestamp} not null)`,
    ];
  }
}
