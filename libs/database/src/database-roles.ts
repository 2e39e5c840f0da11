import { Logger } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';

const connectionOf = (orm: MikroORM) => (orm.em as EntityManager).getConnection();

/** A role name as a quoted identifier; identifiers cannot be bound parameters. */
function quoteRole(role: string): string {
  return `"${role.replaceAll('"', '""')}"`;
}

/** The role a PostgreSQL URL logs in as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Run by the tables' owner after the migrations: the API's role may read and insert everywhere, only that on the
 * append-only tables, also update the ledger's other tables (its state and locks), also update and delete rows of
 * every other table (expired throttle counters) — and nothing more: no TRUNCATE, no DDL, no trigger switching. A
 * table is append-only when it carries the `<table>_no_update_delete` trigger of `SqlDialect.appendOnly`, so tables
 * added by later migrations are covered without a list to keep. The migrations' own bookkeeping table stays the
 * owner's.
 */
export async function grantAppRole(owner: MikroORM, appRole: string): Promise<void> {
  const connection = connectionOf(owner);
  const [{ current }] = await connection.execute<{ current: string }[]>('select current_user as "current"');
  if (current === appRole) return;
  const role = quoteRole(appRole);
  const tables = await connection.execute<{ name: string; append_only: boolean }[]>(
    `select c.relname as "name",
       exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = c.relname || ?) as "append_only"
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname <> ?`,
    ['_no_update_delete', 'mikro_orm_migrations'],
  );
  await connection.execute(`grant usage on schema "public" to ${role}`);
  for (const table of tables) {
    const quoted = `"${table.name.replaceAll('"', '""')}"`;
    await connection.execute(`revoke all on ${quoted} from ${role}`);
    const rights = table.append_only
      ? 'select, insert'
      : table.name.startsWith('ledger_')
        ? 'select, insert, update'
        : 'select, insert, update, delete';
    await connection.execute(`grant ${rights} on ${quoted} to ${role}`);
  }
  await connection.execute(`grant usage, select on all sequences in schema "public" to ${role}`);
}

/** Says so at start when the API's role could rewrite history anyway (superuser or owner of ledger tables). */
export async function warnIfPrivileged(orm: MikroORM): Promise<void> {
  const [row] = await connectionOf(orm).execute<{ superuser: boolean; owned: number | string }[]>(
    `select (select rolsuper from pg_roles where rolname = current_user) as "superuser",
       (select count(*) from pg_tables where tableowner = current_user and tablename like ?) as "owned"`,
    ['ledger\\_%'],
  );
  if (row && (row.superuser || Number(row.owned) > 0)) {
    new Logger('database').warn(
      'DATABASE_URL logs in as a superuser or the owner of the ledger tables, which can switch off the ' +
        'append-only triggers; run the API as a role with grants only (DATABASE_MIGRATION_URL, see docs/operations.md)',
    );
  }
}
