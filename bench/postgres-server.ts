import { randomBytes } from 'node:crypto';
import pg from 'pg';

const LOCAL_POSTGRES = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL server a bench makes its scratch databases on: DATABASE_URL's server when it is a PostgreSQL URL
 * (its `postgres` maintenance database), else the local default that `scripts/services.sh` starts.
 */
export function postgresServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    parsed.pathname = '/postgres';
    return parsed.toString();
  }
  return LOCAL_POSTGRES;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresServerUrl(), connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** True when a PostgreSQL server answers at `postgresServerUrl()`. */
export async function postgresReachable(): Promise<boolean> {
  try {
    await adminQuery('select 1');
    return true;
  } catch {
    return false;
  }
}

/** A fresh, empty database on that server for one bench run; `drop` removes it. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `dx_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database "${name}"`);
  const url = new URL(postgresServerUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`drop database if exists "${name}" with (force)`),
  };
}
