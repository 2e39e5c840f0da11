import type { AppConfig } from '@app/core';
import { Migrator } from '@mikro-orm/migrations';
import type { Options } from '@mikro-orm/core';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';

type EntityList = NonNullable<Options['entities']>;

/** MikroORM options for the configured database; schema comes only from migrations, never from sync. */
export function ormOptions(config: AppConfig, entities: EntityList): Partial<Options> {
  const common = {
    entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS,
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    discovery: { warnWhenNoEntities: false },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
  } satisfies Partial<Options>;
  if (config.database.kind === 'postgresql') {
    return { ...common, driver: PostgreSqlDriver, clientUrl: config.database.url, pool: { min: 0, max: 10 } };
  }
  if (config.database.path !== ':memory:') mkdirSync(dirname(config.database.path), { recursive: true });
  return { ...common, driver: SqliteDriver, dbName: config.database.path };
}
