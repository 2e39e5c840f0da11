import { PortableMigration } from './portable-migration.js';
import { enableAlways, type SqlDialect } from './sql-dialect.js';

const APPEND_ONLY = ['ledger_entries', 'ledger_subjects', 'ledger_nodes', 'ledger_heads', 'ledger_anchors'];

/**
 * PostgreSQL: the append-only triggers of 002 and 003 fire in every session-replication mode, so a session that
 * sets `session_replication_role = replica` still cannot rewrite the ledger (only the tables' owner or a superuser
 * can drop or disable a trigger; the API runs as neither, see docs/operations.md). PUBLIC gets nothing on them.
 * SQLite needs no schema change: `INSERT OR REPLACE` is refused by the DELETE triggers once
 * `recursive_triggers` is on, which the connection sets whenever it opens the file.
 */
export class Migration004AppendOnlyGuards extends PortableMigration {
  override name = '004-append-only-guards';

  protected statements(d: SqlDialect): string[] {
    if (d.kind === 'sqlite') return [];
    return APPEND_ONLY.flatMap((table) => [...enableAlways(table), `revoke all on "${table}" from public`]);
  }
}
