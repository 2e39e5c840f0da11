import type { AppConfig } from '@app/core';
import { Migrator } from '@mikro-orm/migrations';
import type { Options } from '@mikro-orm/core';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';
import { BoundPostgreSqlDriver, BoundSqliteDriver } from './connection/bound-connection.js';

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
    return {
      ...common,
      driver: BoundPostgreSqlDriver,
      clientUrl: config.database.url,
      pool: { min: 0, max: 10 },
      // Waiting for a connection ends with an error (503) instead of hanging when the server does not answer.
      driverOptions: { connectionTimeoutMillis: 5000 },
    };
  }
  if (config.database.path !== ':memory:') mkdirSync(dirname(config.database.path), { recursive: true });
  return { ...common, driver: BoundSqliteDriver, dbName: config.database.path };
}
