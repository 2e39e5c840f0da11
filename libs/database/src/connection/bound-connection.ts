import {
  CompiledQuery,
  SqliteDialect,
  type PostgresDialect,
  type AbortableQueryOptions,
  type DatabaseConnection,
  type Dialect,
  type Driver,
} from 'kysely';
import {
  isRaw,
  raw,
  type AnyEntity,
  type Configuration,
  type Dictionary,
  type EntityData,
  type LoggingOptions,
  type QueryResult,
  type RawQueryFragment,
  type Transaction,
} from '@mikro-orm/core';
import { NativeQueryBuilder, type AbstractSqlConnection } from '@mikro-orm/sql';
import type pg from 'pg';
import { SqliteConnection, SqliteDriver } from '@mikro-orm/sqlite';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { bindParameters, type PlaceholderStyle } from './bound-parameters.js';
import { StatementCache, type NativeSqliteDatabase } from './statement-cache.js';
import { isDatabaseUnavailable } from '../database-errors.js';

type Query = string | NativeQueryBuilder | RawQueryFragment;
type Params = readonly unknown[] | Dictionary<unknown>;
type Method = 'all' | 'get' | 'run';
type Result = QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a TypeScript mixin needs an any[] constructor
type ConnectionClass = abstract new (...args: any[]) => AbstractSqlConnection;

/**
 * MikroORM 7.2 inlines every parameter into the SQL text (`platform.formatQuery`) and sends the driver no parameters
 * (mikro-orm#8001): a NUL byte cut the statement short in SQLite, and each statement was parsed anew. This subclass
 * of a connection runs the same statements with bound parameters instead, for the ORM's own queries and for
 * `connection.execute(sql, params)` alike. The query log gets the SQL with placeholders, never the values.
 */
function withBoundParameters<Base extends ConnectionClass>(base: Base, style: PlaceholderStyle) {
  abstract class BoundParameters extends base {
    override async execute<T extends Result = EntityData<AnyEntity>[]>(
      query: Query,
      params: Params = [],
      method: Method = 'all',
      ctx?: Transaction,
      loggerContext?: LoggingOptions,
    ): Promise<T> {
      await this.ensureConnection();
      const { sql, values } = this.bind(query, params);
      const { abort, context } = splitAbortOptions(loggerContext);
      const client = (ctx as ReturnType<AbstractSqlConnection['getClient']> | undefined) ?? this.getClient();
      return this.executeQuery(
        sql,
        async () => {
          const result = await client.executeQuery(CompiledQuery.raw(sql, values), abort);
          return this.transformRawResult<T>(result, method);
        },
        { ...context, query: sql },
      );
    }

    override async *stream<T extends EntityData<AnyEntity>>(
      query: Query,
      params: Params = [],
      ctx?: Transaction,
      loggerContext?: LoggingOptions,
      chunkSize?: number,
    ): AsyncIterableIterator<T> {
      await this.ensureConnection();
      const { sql, values } = this.bind(query, params);
      const { abort, context } = splitAbortOptions(loggerContext);
      const client = (ctx as ReturnType<AbstractSqlConnection['getClient']> | undefined) ?? this.getClient();
      // Marked as a select, as MikroORM does, because kysely's SQLite driver streams only selects.
      const compiled = {
        ...CompiledQuery.raw(sql, values),
        query: { kind: 'SelectQueryNode' },
      } as CompiledQuery;
      try {
        const chunks = client
          .getExecutor()
          .stream(compiled, chunkSize ?? 100, abort?.signal ? { signal: abort.signal } : undefined);
        this.logQuery(sql, { ...context, query: sql });
        for await (const chunk of chunks) {
          for (const row of this.transformRawResult<T[]>(chunk, 'all')) yield row;
        }
      } catch (error) {
        this.logQuery(sql, { ...context, query: sql, level: 'error' });
        throw error;
      }
    }

    /** What MikroORM's private `prepareQuery` does, minus inlining the values. */
    private bind(query: Query, params: Params): { sql: string; values: unknown[] } {
      let sql: Query = query;
      let list: readonly unknown[] = Array.isArray(params) ? params : [];
      if (sql instanceof NativeQueryBuilder) sql = sql.toRaw();
      if (typeof sql === 'string' && !Array.isArray(params)) sql = raw(sql, params as Dictionary<unknown>);
      if (isRaw(sql)) {
        list = sql.params;
        sql = sql.sql;
      }
      const text = this.config.get('onQuery')(sql as string, list);
      return bindParameters(text, list, this.platform, style);
    }
  }
  return BoundParameters;
}

function splitAbortOptions(loggerContext: LoggingOptions | undefined): {
  abort?: AbortableQueryOptions;
  context: Dictionary<unknown>;
} {
  const { signal, inflightQueryAbortStrategy, ...context } = (loggerContext ?? {}) as Dictionary<unknown> &
    AbortableQueryOptions;
  if (signal == null && inflightQueryAbortStrategy == null) return { context };
  return { abort: { signal, inflightQueryAbortStrategy }, context };
}

/**
 * A kysely driver whose rollback does not fail when there is nothing left to roll back. kysely hands a
 * transaction's connection back only after a successful commit or rollback; when a COMMIT fails (a full disk, a
 * dropped connection) and the database has already ended the transaction, the rollback that follows failed too and
 * the connection stayed taken for good: every later query, `/health` and shutdown waited on it forever.
 */
class RecoveringDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly nothingToRollBack: (error?: unknown) => boolean,
  ) {}

  init(...args: Parameters<Driver['init']>) {
    return this.inner.init(...args);
  }
  acquireConnection(...args: Parameters<Driver['acquireConnection']>) {
    return this.inner.acquireConnection(...args);
  }
  beginTransaction(...args: Parameters<Driver['beginTransaction']>) {
    return this.inner.beginTransaction(...args);
  }
  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(connection);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.nothingToRollBack()) return;
    try {
      await this.inner.rollbackTransaction(connection);
    } catch (error) {
      if (!this.nothingToRollBack(error)) throw error;
    }
  }
  savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>) {
    return this.inner.savepoint!(...args);
  }
  rollbackToSavepoint(...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>) {
    return this.inner.rollbackToSavepoint!(...args);
  }
  releaseSavepoint(...args: Parameters<NonNullable<Driver['releaseSavepoint']>>) {
    return this.inner.releaseSavepoint!(...args);
  }
  releaseConnection(...args: Parameters<Driver['releaseConnection']>) {
    return this.inner.releaseConnection(...args);
  }
  destroy(...args: Parameters<Driver['destroy']>) {
    return this.inner.destroy(...args);
  }
}

function recovering<D extends Dialect>(dialect: D, nothingToRollBack: (error?: unknown) => boolean): D {
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = () => new RecoveringDriver(createDriver(), nothingToRollBack);
  return dialect;
}

/** SQLite (better-sqlite3) with bound parameters, reused prepared statements and a rollback that cannot wedge. */
export class BoundSqliteConnection extends withBoundParameters(SqliteConnection, 'sqlite') {
  /** The prepared-statement cache of the open database (for tests and the benchmark). */
  statementCache?: StatementCache;

  override createKyselyDialect(options: Dictionary): SqliteDialect {
    void super.createKyselyDialect(options);
    const database = (this as unknown as { database: NativeSqliteDatabase }).database;
    // `INSERT OR REPLACE` deletes the row it replaces; only with recursive triggers does that fire the DELETE
    // triggers that keep the ledger append-only.
    database.pragma('recursive_triggers = on');
    this.statementCache = new StatementCache(database);
    const dialect = new SqliteDialect({
      database: this.statementCache,
      onCreateConnection: this.config.get('onCreateConnection'),
    });
    // SQLite itself ends a transaction whose COMMIT failed on a full disk or an I/O error.
    return recovering(dialect, () => !database.inTransaction);
  }
}

/** How many statements one PostgreSQL connection keeps prepared under a name; later ones run unnamed. */
const NAMED_STATEMENTS_PER_CONNECTION = 500;

/**
 * Makes a pooled pg client prepare each parameterised statement once under a name and reuse it, instead of
 * having the server parse and plan it on every call (pg does the bookkeeping per connection). Statements without
 * parameters (BEGIN, COMMIT, migrations) keep the simple protocol. The names are per connection and bounded.
 */
function nameStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  let counter = 0;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      let name = names.get(text);
      if (name === undefined && names.size < NAMED_STATEMENTS_PER_CONNECTION) {
        name = `dx_${++counter}`;
        names.set(text, name);
      }
      if (name !== undefined) {
        const named = query({ name, text, values }) as Promise<unknown>;
        // A schema change under a running process can make a prepared statement's result type stale (0A000): the
        // name is dropped and the statement runs unnamed once more (outside a transaction that succeeds; inside
        // one the transaction has already failed, and the caller gets the first error).
        return named.catch(async (error: unknown) => {
          if ((error as { code?: unknown }).code !== '0A000') throw error;
          names.delete(text);
          return (query(text, values) as Promise<unknown>).catch(() => Promise.reject(error as Error));
        });
      }
    }
    return callback === undefined ? query(text, values) : query(text, values, callback);
  }) as typeof client.query;
}

/**
 * PostgreSQL (pg) with bound parameters, statements prepared once per connection, and a rollback that lets go of a
 * connection the server dropped.
 */
export class BoundPostgreSqlConnection extends withBoundParameters(PostgreSqlConnection, 'postgresql') {
  override createKyselyDialect(
    overrides: Parameters<PostgreSqlConnection['createKyselyDialect']>[0],
  ): PostgresDialect {
    const { onPoolCreated } = (overrides ?? {}) as { onPoolCreated?: (pool: pg.Pool) => unknown };
    const dialect = super.createKyselyDialect({
      ...overrides,
      onPoolCreated: (pool: pg.Pool) => {
        pool.on('connect', nameStatements);
        return onPoolCreated?.(pool);
      },
    } as Parameters<PostgreSqlConnection['createKyselyDialect']>[0]) as PostgresDialect;
    // A lost connection has no transaction left; pg-pool discards the broken client when kysely releases it.
    return recovering(dialect, (error) => error !== undefined && isDatabaseUnavailable(error));
  }
}

export class BoundSqliteDriver extends SqliteDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: AbstractSqlConnection }).connection = new BoundSqliteConnection(
      this.config,
    );
  }
}

export class BoundPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: AbstractSqlConnection }).connection = new BoundPostgreSqlConnection(
      this.config,
    );
  }
}
