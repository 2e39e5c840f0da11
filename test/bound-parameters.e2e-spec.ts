import { jest } from '@jest/globals';
import { MikroORM, defineEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { createRequire } from 'node:module';
import pg from 'pg';
import { loadConfig } from '@app/core';
import { BoundSqliteConnection, ormOptions } from '@app/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Every statement reaches the driver as SQL text with placeholders and its values bound beside it, on SQLite and on
 * PostgreSQL (run this file with and without DATABASE_URL): values the old inlining broke (a NUL byte, quotes, a
 * question mark, a backslash) round-trip, and no value appears in the SQL text or in the query log.
 */
const Probe = defineEntity({
  name: 'Probe',
  tableName: 'probes',
  properties: {
    id: p.string().primary(),
    label: p.string(),
    amount: p.integer(),
    at: p.datetime(),
    flag: p.boolean(),
  },
});

// A marker no SQL text of ours contains, so its presence in the text sent to the driver means a value was inlined.
const MARKER = 'mk7q';
// PostgreSQL text cannot hold a NUL byte at all (a test below shows it refuses one); SQLite stores it.
const NUL = process.env.DATABASE_URL?.startsWith('postgres') ? '' : '\u0000';
const HOSTILE = [
  `${MARKER}${NUL}nul`,
  `${MARKER}'; drop table probes; --`,
  `${MARKER} ? \\? ?? \\'`,
  `${MARKER}数据\n`,
];

// better-sqlite3 ships no types; only its prototype's prepare is watched.
const Database = createRequire(import.meta.url)('better-sqlite3') as {
  prototype: { prepare(sql: string): unknown };
};

describe('bound parameters', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  const logged: string[] = [];
  const spies: { mockRestore(): void; mock: { calls: unknown[][] } }[] = [];
  // The SQL text of each call: a string, or the `text` of a pg query config (a named prepared statement).
  const sent = (): string[] =>
    spies.flatMap((spy) =>
      spy.mock.calls.map(([query]) =>
        typeof query === 'string' ? query : String((query as { text?: unknown }).text),
      ),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', ...database.env });
    // Capture the SQL text where it leaves for the database: better-sqlite3's prepare and pg's query.
    spies.push(jest.spyOn(Database.prototype, 'prepare'), jest.spyOn(pg.Client.prototype, 'query'));
    orm = await MikroORM.init({
      ...ormOptions(config, [Probe]),
      // Even with parameters asked for in the log, none may appear: they can be secrets.
      debug: ['query', 'query-params'],
      logger: (message: string) => void logged.push(message),
    });
    const timestamp = database.kind === 'sqlite' ? 'datetime' : 'timestamptz';
    const bool = database.kind === 'sqlite' ? 'integer' : 'boolean';
    await orm.em
      .getConnection()
      .execute(
        `create table "probes" ("id" varchar(36) primary key, "label" text not null, "amount" int not null, ` +
          `"at" ${timestamp} not null, "flag" ${bool} not null)`,
      );
  });

  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await orm.close();
    await database.drop();
  });

  const em = (): EntityManager => orm.em.fork() as EntityManager;

  it('round-trips NUL bytes, quotes and question marks through ORM inserts, finds and updates', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const writer = em();
    HOSTILE.forEach((label, i) =>
      writer.create(Probe, { id: `p${i}`, label, amount: i, at, flag: i % 2 === 0 }),
    );
    await writer.flush();

    for (const [i, label] of HOSTILE.entries()) {
      const found = await em().findOneOrFail(Probe, { label });
      expect(found).toMatchObject({ id: `p${i}`, label, amount: i, flag: i % 2 === 0 });
      expect(found.at.toISOString()).toBe(at.toISOString());
    }
    const some = await em().find(Probe, { label: { $in: HOSTILE.slice(0, 2) } }, { orderBy: { id: 'asc' } });
    expect(some.map((probe) => probe.id)).toEqual(['p0', 'p1']);

    const renamed = `${MARKER}${NUL}renamed'`;
    expect(await em().nativeUpdate(Probe, { label: HOSTILE[0] }, { label: renamed, amount: 41 })).toBe(1);
    const changer = em();
    const probe = await changer.findOneOrFail(Probe, { id: 'p1' });
    probe.label = `${MARKER}${NUL}flushed`;
    await changer.flush();
    expect((await em().findOneOrFail(Probe, { id: 'p0' })).label).toBe(renamed);
    expect((await em().findOneOrFail(Probe, { id: 'p1' })).label).toBe(`${MARKER}${NUL}flushed`);
  });

  it('round-trips them through connection.execute with ? placeholders', async () => {
    const connection = orm.em.getConnection();
    const label = `${MARKER}${NUL}raw ' " ?`;
    await connection.execute(
      'insert into "probes" ("id", "label", "amount", "at", "flag") values (?, ?, ?, ?, ?)',
      ['raw1', label, 7, new Date('2026-01-01T00:00:00Z'), true],
      'run',
    );
    const rows = await connection.execute<{ id: string; amount: number }[]>(
      'select "id", "amount" from "probes" where "label" = ? and "id" in (?)',
      [label, ['raw1', 'nope']],
    );
    expect(rows).toEqual([{ id: 'raw1', amount: 7 }]);
    const result = await connection.execute('delete from "probes" where "label" = ?', [label], 'run');
    expect(result.affectedRows).toBe(1);
  });

  it('stores a NUL byte whole or refuses it, never cuts the statement short', async () => {
    const connection = orm.em.getConnection();
    const label = `${MARKER}\u0000after`;
    const insert = connection.execute(
      'insert into "probes" ("id", "label", "amount", "at", "flag") values (?, ?, ?, ?, ?)',
      ['nul1', label, 1, new Date(), false],
      'run',
    );
    if (database.kind === 'postgresql') {
      await expect(insert).rejects.toMatchObject({ code: '22021' });
      expect(await connection.execute('select "id" from "probes" where "id" = ?', ['nul1'])).toEqual([]);
    } else {
      await insert;
      expect(await connection.execute('select "label" from "probes" where "id" = ?', ['nul1'])).toEqual([
        { label },
      ]);
    }
  });

  it('sends the driver SQL text without the values, and logs none of them', () => {
    expect(sent().some((sql) => sql.includes('"probes"'))).toBe(true);
    expect(sent().filter((sql) => sql.includes(MARKER))).toEqual([]);
    expect(logged.some((line) => line.includes('probes'))).toBe(true);
    expect(logged.filter((line) => line.includes(MARKER))).toEqual([]);
  });

  it('reuses the prepared statement of a repeated query on this database', async () => {
    const connection = orm.em.getConnection();
    const sql = 'select "id" from "probes" where "amount" >= ? and "label" <> ?';
    for (let i = 0; i < 5; i++) await connection.execute(sql, [i, MARKER]);
    const calls = spies.flatMap((spy) => spy.mock.calls.map(([query]) => query));
    if (database.kind === 'sqlite') {
      expect(calls.filter((query) => query === sql)).toHaveLength(1);
    } else {
      // pg parses a named statement once per connection and afterwards only binds it.
      const named = calls.filter(
        (query) => (query as { text?: string }).text === sql.replace('?', '$1').replace('?', '$2'),
      );
      expect(named).toHaveLength(5);
      expect(new Set(named.map((query) => (query as { name?: string }).name)).size).toBeLessThanOrEqual(
        orm.config.get('pool').max ?? 10,
      );
      expect(named.every((query) => typeof (query as { name?: string }).name === 'string')).toBe(true);
    }
  });

  it('keeps answering a reused statement after the table under it changed', async () => {
    const connection = orm.em.getConnection();
    await connection.execute('create table "reshaped" ("id" int primary key, "a" int not null)');
    await connection.execute('insert into "reshaped" ("id", "a") values (?, ?)', [1, 2], 'run');
    const sql = 'select * from "reshaped" where "id" = ?';
    for (let i = 0; i < 12; i++) expect(await connection.execute(sql, [1])).toEqual([{ id: 1, a: 2 }]);
    // As a migration run by another process would; PostgreSQL then refuses the prepared plan once (0A000).
    await connection.execute('alter table "reshaped" add column "b" int null');
    for (let i = 0; i < 12; i++)
      expect(await connection.execute(sql, [1])).toEqual([{ id: 1, a: 2, b: null }]);
  });

  it('prepares a repeated SQLite statement once and reuses it', async () => {
    // Its own in-memory SQLite, so the cache is checked on every run, with or without DATABASE_URL.
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:' });
    const sqlite = await MikroORM.init(ormOptions(config, [Probe]));
    try {
      const connection = sqlite.em.getConnection();
      expect(connection).toBeInstanceOf(BoundSqliteConnection);
      await connection.execute('create table "counts" ("id" int primary key, "n" int not null)');
      const sql = 'insert into "counts" ("id", "n") values (?, ?)';
      for (let i = 0; i < 5; i++) await connection.execute(sql, [i, i * i], 'run');
      expect(sent().filter((text) => text === sql)).toHaveLength(1);
      const rows = await connection.execute<{ n: number }[]>('select "n" from "counts" where "id" in (?)', [
        [2, 3],
      ]);
      expect(rows.map((row: { n: number }) => row.n).sort()).toEqual([4, 9]);
    } finally {
      await sqlite.close();
    }
  });
});
