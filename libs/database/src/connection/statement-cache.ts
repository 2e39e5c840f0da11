import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The part of a better-sqlite3 statement the cache needs besides what kysely uses. */
interface CachedStatement extends SqliteStatement {
  readonly busy: boolean;
}

/** The part of a better-sqlite3 database the cache and the transaction guard use. */
export interface NativeSqliteDatabase {
  prepare(sql: string): CachedStatement;
  close(): void;
  pragma(source: string): unknown;
  readonly inTransaction: boolean;
}

/**
 * A better-sqlite3 database seen through an LRU cache of prepared statements, for kysely's SQLite driver, which
 * otherwise prepares every statement anew. With bound parameters the same SQL text repeats, so most calls skip
 * SQLite's parser and planner. A cached statement still iterating (a stream in progress) is not handed out twice:
 * such a call gets a fresh statement.
 */
export class StatementCache implements SqliteDatabase {
  private readonly statements = new Map<string, CachedStatement>();

  constructor(
    readonly database: NativeSqliteDatabase,
    private readonly capacity = 256,
  ) {}

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Re-inserting moves the entry to the end of the Map's order: the least recently used is first.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached.busy ? this.database.prepare(sql) : cached;
    }
    const statement = this.database.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) {
      const oldest = this.statements.keys().next();
      if (!oldest.done) this.statements.delete(oldest.value);
    }
    return statement;
  }

  get size(): number {
    return this.statements.size;
  }

  close(): void {
    this.statements.clear();
    this.database.close();
  }
}
