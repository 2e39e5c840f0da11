// A catalogue of generated listings in a scratch database (SQLite, or PostgreSQL when asked): what the catalogue
// bench searches and the console bench browses.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { CatalogIndex } from '@app/catalog';
import { loadConfig } from '@app/core';
import { openDatabase } from '@app/database';
import { DOMAIN_ENTITIES } from '@app/platform';
import { createScratchDatabase } from '../postgres-server.js';
import { report } from '../report.js';
import { generateListings } from './listings.js';

export type Db = 'sqlite' | 'postgresql';

export interface Prepared {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function prepare(db: Db): Promise<Prepared> {
  const dataDir = mkdtempSync(join(tmpdir(), 'catalog-bench-'));
  const scratch = db === 'postgresql' ? await createScratchDatabase() : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    CHAIN_RPC_URL: 'off',
    DATA_DIR: dataDir,
    DATABASE_URL: scratch?.url ?? `sqlite:${join(dataDir, 'exchange.sqlite')}`,
    APP_SECRET_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: '',
  };
  return {
    env,
    cleanup: async () => {
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Loads the listings through the catalogue's own index code; reports load time and sizes. */
export async function load(
  db: Db,
  env: Record<string, string>,
  count: number,
  bench = 'catalog',
): Promise<void> {
  const config = loadConfig({ ...process.env, ...env, NODE_ENV: 'development' });
  const orm: MikroORM = await openDatabase(config, DOMAIN_ENTITIES);
  try {
    const entries = generateListings(count);
    const index = new CatalogIndex();
    const batch = 1000;
    const started = performance.now();
    for (let i = 0; i < entries.length; i += batch) {
      await orm.em.fork().transactional(async (em) => {
        for (const entry of entries.slice(i, i + batch)) await index.publish(em as EntityManager, entry);
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const figure = (name: string, value: number, unit: string) =>
      report({ bench, figure: `${db}.${name}`, value, unit, n: count });
    figure('load_s', Math.round(seconds * 10) / 10, 's');
    figure('load_rate', Math.round(count / seconds), 'listings/s');
    const connection = (orm.em as EntityManager).getConnection();
    if (db === 'sqlite') {
      await connection.execute('pragma wal_checkpoint(truncate)');
      const file = env.DATABASE_URL.slice('sqlite:'.length);
      figure('database_mb', Math.round(statSync(file).size / 1e5) / 10, 'MB');
      try {
        const [fts] = await connection.execute<{ bytes: number }[]>(
          `select sum("pgsize") as "bytes" from "dbstat" where "name" like ?`,
          ['catalog_fts%'],
        );
        figure('fts_index_mb', Math.round(Number(fts.bytes) / 1e5) / 10, 'MB');
      } catch {
        console.error('catalog bench: this SQLite has no dbstat table; reporting the whole file only');
      }
    } else {
      await connection.execute('vacuum analyze "catalog_entries"');
      const [sizes] = await connection.execute<{ gin: string; total: string }[]>(
        `select pg_relation_size(?::regclass) as "gin", pg_total_relation_size(?::regclass) as "total"`,
        ['catalog_entries_tsv_index', 'catalog_entries'],
      );
      figure('gin_index_mb', Math.round(Number(sizes.gin) / 1e5) / 10, 'MB');
      figure('table_with_indexes_mb', Math.round(Number(sizes.total) / 1e5) / 10, 'MB');
    }
  } finally {
    await orm.close();
  }
}
