import type { AppConfig } from '@app/core';
import { MikroORM, type Options } from '@mikro-orm/core';
import { ormOptions } from './orm-options.js';

/** Opens the configured database and brings its schema up to date; a failed migration leaves nothing applied. */
export async function openDatabase(
  config: AppConfig,
  entities: NonNullable<Options['entities']>,
): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(config, entities));
  if (config.database.kind === 'sqlite') {
    const connection = orm.em.getConnection();
    await connection.execute('pragma journal_mode = wal');
    await connection.execute('pragma busy_timeout = 5000');
    await connection.execute('pragma foreign_keys = on');
  }
  await orm.migrator.up();
  return orm;
}
