// SQL statement benchmarks. `npm run bench -- sql [--quick]`.
// The same lookup (a credential-resolution-shaped select by a unique hash) and insert, run three ways:
//   inlined  — MikroORM's stock driver, values formatted into the SQL text (what 7.2.1 does, mikro-orm#8001);
//   bound    — placeholders and bound values, each statement prepared anew;
//   cached   — bound, through our connection, which reuses prepared statements (SQLite: an LRU per connection;
//              PostgreSQL: named prepared statements per connection). On PostgreSQL `bound` (unnamed) against
//              `named` is also measured on a bare pg client, the figure that decided to name statements.
// Figures are medians of per-batch microseconds per statement. PostgreSQL is skipped, with a line saying so on
// stderr, when no server answers.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import pg from 'pg';
import { loadConfig, type AppConfig } from '@app/core';
import { ormOptions } from '@app/database';
import { isQuick, median, report } from '../report.js';

const BENCH = 'sql';
const quick = isQuick();
const ROWS = quick ? 500 : 5_000;
const BATCH = quick ? 100 : 500;
const BATCHES = quick ? 5 : 21;
const SELECT =
  'select "id", "account_id", "scopes" from "bench_tokens" where "token_hash" = ? and "revoked_at" is null';
const INSERT =
  'insert into "bench_tokens" ("id", "token_hash", "account_id", "scopes", "revoked_at") values (?, ?, ?, ?, ?)';

type Db = 'sqlite' | 'postgresql';
type Run = (sql: string, params: unknown[]) => Promise<unknown>;

const hashOf = (i: number): string => `${i.toString(16).padStart(8, '0')}${'ab'.repeat(28)}`;
const tokenRow = (id: string, hash: string): unknown[] => [id, hash, 'acct-1', '["read","write"]', null];

/**
 * Median microseconds per statement of each way, over BATCHES rounds of BATCH statements; the ways take turns
 * within a round, so a busy machine slows them alike instead of whichever ran during the busy spell.
 */
async function compare(
  ways: Record<string, (i: number) => Promise<unknown>>,
): Promise<Record<string, number>> {
  const names = Object.keys(ways);
  const perOp: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  let i = 0;
  for (const name of names) for (let k = 0; k < BATCH; k++) await ways[name](i++); // warm-up
  for (let round = 0; round < BATCHES; round++) {
    for (const name of names) {
      const started = performance.now();
      for (let k = 0; k < BATCH; k++) await ways[name](i++);
      perOp[name].push(((performance.now() - started) * 1000) / BATCH);
    }
  }
  return Object.fromEntries(names.map((name) => [name, Math.round(median(perOp[name]) * 10) / 10]));
}

function reportAll(db: Db, statement: string, figures: Record<string, number>): void {
  for (const [way, value] of Object.entries(figures)) {
    report({
      bench: BENCH,
      figure: `${db}_${statement}_${way}_us`,
      value,
      unit: 'µs/statement',
      n: BATCH * BATCHES,
    });
  }
}

/** The select and the insert, each run every way in turn. */
async function runWays(db: Db, ways: Record<string, Run>): Promise<void> {
  const select = Object.fromEntries(
    Object.entries(ways).map(([way, run]) => [way, (i: number) => run(SELECT, [hashOf(i % ROWS)])]),
  );
  reportAll(db, 'select', await compare(select));
  const insert = Object.fromEntries(
    Object.entries(ways).map(([way, run]) => [
      way,
      (i: number) => run(INSERT, tokenRow(`${way}-${i}`, `${way}${i}`)),
    ]),
  );
  reportAll(db, 'insert', await compare(insert));
}

const connectionOf = (orm: MikroORM) => (orm.em as EntityManager).getConnection();

async function prepareTable(orm: MikroORM, db: Db): Promise<void> {
  const connection = connectionOf(orm);
  const timestamp = db === 'sqlite' ? 'datetime' : 'timestamptz';
  await connection.execute(
    `create table "bench_tokens" ("id" varchar(64) primary key, "token_hash" varchar(64) not null unique,
      "account_id" varchar(36) not null, "scopes" text not null, "revoked_at" ${timestamp} null)`,
  );
  await connection.transactional(async (trx) => {
    for (let i = 0; i < ROWS; i++)
      await connection.execute(INSERT, tokenRow(`seed-${i}`, hashOf(i)), 'run', trx);
  });
}

/**
 * The stock driver (inlined) against ours (bound, statements reused). On SQLite each way gets a database file of
 * its own: two connections writing one file would make each reload the other's changes at every turn.
 */
async function benchOrm(db: Db, configs: AppConfig[]): Promise<void> {
  const driver = db === 'sqlite' ? SqliteDriver : PostgreSqlDriver;
  const stock = (config: AppConfig) => {
    const options = ormOptions(config, []);
    return MikroORM.init({ ...options, driver } as typeof options);
  };
  const [first, second = first, third = first] = configs;
  const orms = [await stock(first), await stock(second), await MikroORM.init(ormOptions(third, []))];
  try {
    if (db === 'sqlite') {
      for (const orm of orms) await connectionOf(orm).execute('pragma journal_mode = wal');
      for (const orm of orms) await prepareTable(orm, db);
    } else {
      await prepareTable(orms[2], db);
    }
    const [inlined, plain, ours] = orms.map(connectionOf);
    if (db === 'sqlite') {
      // Bound but prepared anew each time: kysely's own SQLite driver with parameters, no statement cache.
      const kysely = plain.getClient();
      await runWays(db, {
        inlined: (sql, params) => inlined.execute(sql, params),
        bound: (sql, params) => kysely.executeQuery(CompiledQuery.raw(sql, params.map(sqliteBind))),
        cached: (sql, params) => ours.execute(sql, params),
      });
    } else {
      await runWays(db, {
        inlined: (sql, params) => inlined.execute(sql, params),
        cached: (sql, params) => ours.execute(sql, params),
      });
    }
  } finally {
    for (const orm of orms) await orm.close();
  }
}

const sqliteBind = (value: unknown): unknown => (typeof value === 'number' ? BigInt(value) : value);

/** PostgreSQL on a bare pg client: unnamed (parsed each time) against named (prepared once per connection). */
async function benchPgNamed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const toDollar = (sql: string) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${++n}`);
    };
    const select = toDollar(SELECT);
    const insert = toDollar(INSERT);
    reportAll(
      'postgresql',
      'pg_select',
      await compare({
        unnamed: (i) => client.query(select, [hashOf(i % ROWS)]),
        named: (i) => client.query({ name: 'bench_select', text: select, values: [hashOf(i % ROWS)] }),
      }),
    );
    reportAll(
      'postgresql',
      'pg_insert',
      await compare({
        unnamed: (i) => client.query(insert, tokenRow(`u-${i}`, `u${i}`)),
        named: (i) =>
          client.query({ name: 'bench_insert', text: insert, values: tokenRow(`n-${i}`, `n${i}`) }),
      }),
    );
  } finally {
    await client.end();
  }
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dx-bench-sql-'));
  try {
    const file = (name: string) =>
      loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, `${name}.sqlite`)}` });
    await benchOrm('sqlite', [file('inlined'), file('bound'), file('cached')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresql(): Promise<void> {
  const server = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
    ? process.env.DATABASE_URL!
    : 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    process.stderr.write(
      `postgresql: no server answered at ${new URL(server).host} (${(error as Error).message}); skipped\n`,
    );
    return;
  }
  const name = `dx_bench_sql_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database "${name}"`);
  try {
    const url = new URL(server);
    url.pathname = `/${name}`;
    await benchOrm('postgresql', [loadConfig({ NODE_ENV: 'test', DATABASE_URL: url.toString() })]);
    await benchPgNamed(url.toString());
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

await sqlite();
await postgresql();
