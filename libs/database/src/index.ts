export * from './database.module.js';
export * from './open-database.js';
export * from './orm-options.js';
export * from './unit-of-work.js';
export type { SqlDialect } from './migrations/sql-dialect.js';
export * from './database-errors.js';
export { BoundPostgreSqlConnection, BoundSqliteConnection } from './connection/bound-connection.js';
export * from './keyset-page.js';
export * from './sql-kind.js';
