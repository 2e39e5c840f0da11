import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A fresh database for one test file: a new PostgreSQL database when DATABASE_URL points at a server (CI's second
 * run), else a new SQLite file. `drop` removes it.
 */
export interface TestDatabase {
  env: Record<string, string>;
  kind: 'sqlite' | 'postgresql';
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dx-test-'));
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl?.startsWith('postgres')) {
    return {
      kind: 'sqlite',
      dataDir,
      env: { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'exchange.sqlite')}` },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `dx_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgresql',
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
