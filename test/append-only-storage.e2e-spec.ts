import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM, QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import pg from 'pg';
import { loadConfig } from '@app/core';
import { openDatabase } from '@app/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The ledger tables keep their history against the statements that used to slip past the append-only triggers:
 * SQLite's `INSERT OR REPLACE`, and on PostgreSQL everything the API's own role could otherwise do (UPDATE,
 * DELETE, TRUNCATE, switching triggers off) when it runs as a role with grants only, the migrations run by the owner.
 */
const connectionOf = (orm: MikroORM) => (orm.em as EntityManager).getConnection();
const node = (level: number, index: number, hash: string) => [level, index, hash];
const INSERT_NODE = 'insert into "ledger_nodes" ("level", "node_index", "hash") values (?, ?, ?)';

describe('append-only ledger storage on SQLite', () => {
  let dataDir: string;
  let orm: MikroORM;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dx-append-only-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'exchange.sqlite')}`,
    });
    orm = await openDatabase(config, []);
  });

  afterAll(async () => {
    await orm.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses INSERT OR REPLACE over an existing row and keeps the row', async () => {
    const connection = connectionOf(orm);
    await connection.execute<QueryResult>(INSERT_NODE, node(0, 1, 'a'.repeat(64)), 'run');
    await expect(
      connection.execute(
        'insert or replace into "ledger_nodes" ("level", "node_index", "hash") values (?, ?, ?)',
        node(0, 1, 'b'.repeat(64)),
        'run',
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      connection.execute(
        'replace into "ledger_nodes" ("level", "node_index", "hash") values (?, ?, ?)',
        node(0, 1, 'c'),
        'run',
      ),
    ).rejects.toThrow(/append-only/);
    expect(
      await connection.execute('select "hash" from "ledger_nodes" where "level" = 0 and "node_index" = 1'),
    ).toEqual([{ hash: 'a'.repeat(64) }]);
  });

  it('still lets an idempotent insert do nothing and a plain duplicate fail as a duplicate', async () => {
    const connection = connectionOf(orm);
    await connection.execute<QueryResult>(INSERT_NODE, node(0, 2, 'd'.repeat(64)), 'run');
    const ignored = await connection.execute<QueryResult>(
      `${INSERT_NODE} on conflict ("level", "node_index") do nothing`,
      node(0, 2, 'e'.repeat(64)),
      'run',
    );
    expect(ignored.affectedRows).toBe(0);
    await expect(connection.execute(INSERT_NODE, node(0, 2, 'f'.repeat(64)), 'run')).rejects.toThrow(
      /UNIQUE/,
    );
    expect(await connection.execute('select "hash" from "ledger_nodes" where "node_index" = 2')).toEqual([
      { hash: 'd'.repeat(64) },
    ]);
  });
});

const serverUrl = process.env.DATABASE_URL;
if (serverUrl?.startsWith('postgres')) {
  describe('append-only ledger storage on PostgreSQL, API role separate from the owner', () => {
    let database: TestDatabase;
    let orm: MikroORM;
    let admin: pg.Client;
    const suffix = randomBytes(4).toString('hex');
    const ownerRole = `dx_owner_${suffix}`;
    const appRole = `dx_app_${suffix}`;
    const password = randomBytes(12).toString('hex');

    const urlFor = (role: string): string => {
      const url = new URL(database.env.DATABASE_URL);
      url.username = role;
      url.password = password;
      return url.toString();
    };

    beforeAll(async () => {
      database = await createTestDatabase();
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      const name = new URL(database.env.DATABASE_URL).pathname.slice(1);
      for (const role of [ownerRole, appRole]) {
        await admin.query(`create role "${role}" login nosuperuser password '${password}'`);
      }
      // In PostgreSQL 15 the public schema belongs to the database's owner: the owner role can create tables there.
      await admin.query(`alter database "${name}" owner to "${ownerRole}"`);
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: database.dataDir,
        DATABASE_URL: urlFor(appRole),
        DATABASE_MIGRATION_URL: urlFor(ownerRole),
      });
      orm = await openDatabase(config, []);
    });

    afterAll(async () => {
      await orm.close();
      await database.drop();
      for (const role of [appRole, ownerRole]) await admin.query(`drop role if exists "${role}"`);
      await admin.end();
    });

    it('lets the API role append and move the ledger state, as the use cases do', async () => {
      const connection = connectionOf(orm);
      const [{ user }] = await connection.execute<{ user: string }[]>('select current_user as "user"');
      expect(user).toBe(appRole);
      await connection.execute<QueryResult>(INSERT_NODE, node(0, 1, 'a'.repeat(64)), 'run');
      const moved = await connection.execute<QueryResult>(
        'update "ledger_state" set "size" = "size" + ? where "id" = 1',
        [0],
        'run',
      );
      expect(moved.affectedRows).toBe(1);
      await connection.execute(
        'insert into "organisations" ("id", "kind", "name", "identifier_display", "identifier_digest", "roles", ' +
          '"status", "created_at", "updated_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['o1', 'enterprise', 'Org', 'x', 'digest', '[]', 'pending', new Date(), new Date()],
        'run',
      );
      const updated = await connection.execute<QueryResult>(
        'update "organisations" set "status" = ? where "id" = ?',
        ['active', 'o1'],
        'run',
      );
      expect(updated.affectedRows).toBe(1);
      // Expired rows of ordinary tables (throttle counters) are the API's to delete.
      const removed = await connection.execute<QueryResult>(
        'delete from "organisations" where "id" = ?',
        ['o1'],
        'run',
      );
      expect(removed.affectedRows).toBe(1);
    });

    it.each([
      ['UPDATE', 'update "ledger_nodes" set "hash" = \'x\''],
      ['DELETE', 'delete from "ledger_nodes"'],
      ['TRUNCATE', 'truncate "ledger_nodes"'],
      ['DELETE of the ledger state', 'delete from "ledger_state"'],
      ['TRUNCATE of a mutable table', 'truncate "organisations"'],
      ['trigger switching', 'alter table "ledger_nodes" disable trigger all'],
      ['replica mode', 'set session_replication_role = replica'],
    ])('refuses the API role %s', async (_what, sql) => {
      // 42501: insufficient privilege.
      await expect(connectionOf(orm).execute(sql, [], 'run')).rejects.toMatchObject({ code: '42501' });
      const rows = await connectionOf(orm).execute<{ hash: string }[]>('select "hash" from "ledger_nodes"');
      expect(rows).toEqual([{ hash: 'a'.repeat(64) }]);
    });

    it('refuses even the owner UPDATE, DELETE and TRUNCATE, replica mode included', async () => {
      const owner = new pg.Client({ connectionString: urlFor(ownerRole) });
      await owner.connect();
      try {
        for (const sql of [
          'update "ledger_nodes" set "hash" = \'x\'',
          'delete from "ledger_nodes"',
          'truncate "ledger_nodes"',
        ]) {
          await expect(owner.query(sql)).rejects.toThrow(/append-only/);
        }
      } finally {
        await owner.end();
      }
      // A superuser's replica mode skips ordinary triggers; these fire ALWAYS.
      const superuser = new pg.Client({ connectionString: database.env.DATABASE_URL });
      await superuser.connect();
      try {
        await superuser.query('set session_replication_role = replica');
        await expect(superuser.query('delete from "ledger_nodes"')).rejects.toThrow(/append-only/);
      } finally {
        await superuser.end();
      }
    });
  });
}
