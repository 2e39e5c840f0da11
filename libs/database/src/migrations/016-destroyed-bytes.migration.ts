import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Closes the window between a destruction's commit and the removal of its bytes (DS 37). Blobs are
 * content-addressed, so a new dataset chunk, evaluation or delivery file with the very same bytes shares the blob a
 * destruction is about to remove. `removing_at` marks a blob whose removal has begun (a new reference to it is
 * refused until it is gone); `outcome` says how its fate was settled: `removed`, or `kept` because a record stored
 * the same bytes again after the execution and still uses them. The index finds a blob's rows by its bytes, as every
 * writer of a new reference does.
 */
export class Migration016DestroyedBytes extends PortableMigration {
  override name = '016-destroyed-bytes';

  protected statements(d: SqlDialect): string[] {
    return [
      `alter table "destroyed_blobs" add column "removing_at" ${d.timestamp} null`,
      `alter table "destroyed_blobs" add column "outcome" varchar(8) null`,
      `update "destroyed_blobs" set "outcome" = 'removed' where "removed_at" is not null`,
      `create index "destroyed_blobs_bytes_index" on "destroyed_blobs" ("store", "sha256")`,
    ];
  }
}
