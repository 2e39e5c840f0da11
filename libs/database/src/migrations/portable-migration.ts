import { Migration } from '@mikro-orm/migrations';
import { postgresDialect, sqliteDialect, type SqlDialect } from './sql-dialect.js';
import { sqlKindOf } from '../sql-kind.js';

/** A migration written once for SQLite and PostgreSQL: `statements` gets the dialect of the database it runs on. */
export abstract class PortableMigration extends Migration {
  protected abstract statements(d: SqlDialect): string[];

  override up(): void {
    const dialect = sqlKindOf(this.driver) === 'sqlite' ? sqliteDialect : postgresDialect;
    for (const sql of this.statements(dialect)) this.addSql(sql);
  }
}
