import type { AppConfig } from '@app/core';
import { MikroORM, type Options } from '@mikro-orm/core';
import { ormOptions } from './orm-options.js';
import { grantAppRole, roleOf, warnIfPrivileged } from './database-roles.js';

/**
 * Opens the configured database and brings its schema up to date; a failed migration leaves nothing applied. With
 * `DATABASE_MIGRATION_URL` (PostgreSQL) the migrations run as that owner role, which then grants the API's role
 * (`DATABASE_URL`) what it needs and no more.
 */
export async function openDatabase(
  config: AppConfig,
  entities: NonNullable<Options['entities']>,
): Promise<MikroORM> {
  const database = config.database;
  if (database.kind === 'postgresql' && database.migrationUrl) {
    // The owner migrates and grants; the API's own role gets table rights only and cannot undo the triggers.
    const owner = await MikroORM.init({ ...ormOptions(config, entities), clientUrl: database.migrationUrl });
    try {
      await owner.migrator.up();
      await grantAppRole(owner, roleOf(database.url));
    } finally {
      await owner.close();
    }
    const orm = await MikroORM.init(ormOptions(config, entities));
    if (config.env !== 'test') await warnIfPrivileged(orm);
    return orm;
  }
  const orm = await MikroORM.init(ormOptions(config, entities));
  if (database.kind === 'sqlite') {
    const connection = orm.em.getConnection();
    await connection.execute('pragma journal_mode = wal');
    await connection.execute('pragma busy_timeout = 5000');
    await connection.execute('pragma foreign_keys = on');
  }
  await orm.migrator.up();
  if (database.kind === 'postgresql' && config.env !== 'test') await warnIfPrivileged(orm);
  return orm;
}
