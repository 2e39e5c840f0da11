/** Column types and statements that differ between SQLite and PostgreSQL, so one migration serves both. */
export interface SqlDialect {
  readonly kind: 'sqlite' | 'postgresql';
  readonly timestamp: string;
  readonly json: string;
  readonly bool: string;
  readonly bytes: string;
  /**
   * Triggers that make every UPDATE and DELETE on `table` fail (and TRUNCATE on PostgreSQL, where they fire even
   * under `session_replication_role = replica`). On SQLite, `INSERT OR REPLACE` over an existing row fires the
   * DELETE trigger only with `pragma recursive_triggers = on`, which every connection we open sets.
   */
  appendOnly(table: string): string[];
}

export const sqliteDialect: SqlDialect = {
  kind: 'sqlite',
  timestamp: 'datetime',
  json: 'json',
  bool: 'integer',
  bytes: 'blob',
  appendOnly: (table) => [
    `create trigger "${table}_no_update" before update on "${table}" begin select raise(abort, '${table} is append-only'); end`,
    `create trigger "${table}_no_delete" before delete on "${table}" begin select raise(abort, '${table} is append-only'); end`,
  ],
};

export const postgresDialect: SqlDialect = {
  kind: 'postgresql',
  timestamp: 'timestamptz',
  json: 'jsonb',
  bool: 'boolean',
  bytes: 'bytea',
  appendOnly: (table) => [
    `create or replace function "${table}_refuse_change"() returns trigger language plpgsql as $$ ` +
      `begin raise exception '${table} is append-only'; end $$`,
    `create trigger "${table}_no_update_delete" before update or delete on "${table}" ` +
      `for each row execute function "${table}_refuse_change"()`,
    `create trigger "${table}_no_truncate" before truncate on "${table}" ` +
      `for each statement execute function "${table}_refuse_change"()`,
    ...enableAlways(table),
  ],
};

/** Triggers fire in replica mode too, so `set session_replication_role = replica` cannot switch them off. */
export function enableAlways(table: string): string[] {
  return [
    `alter table "${table}" enable always trigger "${table}_no_update_delete"`,
    `alter table "${table}" enable always trigger "${table}_no_truncate"`,
  ];
}
