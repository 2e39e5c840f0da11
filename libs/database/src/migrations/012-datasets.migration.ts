import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Blobs in the database (`@app/blobs`, the database backend) and encrypted datasets (`@app/datasets`): an asset's
 * dataset versions with their manifest, and the chunks received so far. A dataset moves uploading → ready by a
 * conditional update; its received chunks are append-only. Blob chunk rows are staged under an upload id and named
 * by a `blobs` row once their hash is known; staged rows of a failed upload are deleted, so they are not append-only.
 */
export class Migration012Datasets extends PortableMigration {
  override name = '012-datasets';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "blob_chunks" ("upload_id" varchar(36) not null, "seq" int not null,
        "bytes" ${d.bytes} not null, "created_at_ms" bigint not null,
        primary key ("upload_id", "seq"))`,
      `create index "blob_chunks_created_index" on "blob_chunks" ("created_at_ms")`,
      `create table "blobs" ("sha256" varchar(64) not null primary key, "upload_id" varchar(36) not null,
        "size_bytes" bigint not null, "chunk_count" int not null, "created_at_ms" bigint not null,
        constraint "blobs_size_check" check ("size_bytes" >= 0))`,
      `create index "blobs_upload_index" on "blobs" ("upload_id")`,
      `create table "datasets" ("id" varchar(36) not null primary key,
        "asset_id" varchar(36) not null references "assets" ("id"), "version" int not null,
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "uploaded_by_account_id" varchar(36) not null, "state" varchar(16) not null,
        "param_set" varchar(32) not null, "scheme" varchar(8) not null, "row_count" bigint not null,
        "chunk_count" int not null, "total_bytes" bigint not null, "manifest" ${d.json} not null,
        "manifest_hash" varchar(64) not null, "chunks_root" varchar(64) null,
        "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null,
        "completed_at" ${d.timestamp} null,
        constraint "datasets_asset_version_unique" unique ("asset_id", "version"),
        constraint "datasets_version_positive" check ("version" >= 1))`,
      `create index "datasets_asset_index" on "datasets" ("asset_id", "created_at", "id")`,
      `create index "datasets_organisation_index" on "datasets" ("organisation_id", "created_at", "id")`,
      `create table "dataset_chunks" ("dataset_id" varchar(36) not null references "datasets" ("id"),
        "seq" int not null, "sha256" varchar(64) not null, "size_bytes" bigint not null,
        "received_by_account_id" varchar(36) not null, "received_at" ${d.timestamp} not null,
        primary key ("dataset_id", "seq"))`,
      ...d.appendOnly('dataset_chunks'),
    ];
  }
}
