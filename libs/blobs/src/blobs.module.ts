import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { DatabaseModule } from '@app/database';
import { BLOB_STORE, type BlobStore } from './blob-store.js';
import { DatabaseBlobStore, type SqlRunner } from './database-blob-store.js';
import { FileBlobStore } from './file-blob-store.js';

/** The blob store `config.blobStore` names: files under `DATA_DIR/blobs`, or the database's `blobs` tables. */
export function createBlobStore(config: AppConfig, orm: MikroORM): FileBlobStore | DatabaseBlobStore {
  if (config.blobStore === 'files') return new FileBlobStore(join(config.dataDir, 'blobs'));
  const runner: SqlRunner = {
    execute: async <T>(sql: string, params: unknown[], method: 'all' | 'run' = 'all') =>
      (await (orm.em as EntityManager).getConnection().execute(sql, params, method)) as T,
    transaction: <T>(work: (sql: Pick<SqlRunner, 'execute'>) => Promise<T>) =>
      (orm.em.fork() as EntityManager).transactional((em) =>
        work({
          execute: async <R>(sql: string, params: unknown[], method: 'all' | 'run' = 'all') =>
            (await em.getConnection().execute(sql, params, method, em.getTransactionContext())) as R,
        }),
      ),
  };
  return new DatabaseBlobStore(runner);
}

/** Provides `BLOB_STORE`, prepared (folders made, crash debris removed) before the application serves. */
@Module({
  imports: [DatabaseModule],
  providers: [{ provide: BLOB_STORE, inject: [APP_CONFIG, MikroORM], useFactory: createBlobStore }],
  exports: [BLOB_STORE],
})
export class BlobsModule implements OnModuleInit {
  constructor(@Inject(BLOB_STORE) private readonly store: BlobStore & { prepare(): Promise<void> }) {}

  async onModuleInit(): Promise<void> {
    await this.store.prepare();
  }
}
