import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Data assets and their registration (DE 42): the asset with its current facts, the certificates issued for it,
 * the requests after registration (change, transfer, cancellation, objection), the review history and valuation
 * reports. Certificates, reviews and valuations are history: append-only, like the ledger. Registration numbers
 * come from one counter row per year, moved by a single UPDATE inside the approval's transaction, so they are
 * unique and, as a rolled-back approval rolls the counter back too, without gaps.
 */
export class Migration007Assets extends PortableMigration {
  override name = '007-assets';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "assets" ("id" varchar(36) not null primary key,
        "registrant_id" varchar(36) not null references "organisations" ("id"), "status" varchar(24) not null,
        "version" int not null, "title" varchar(200) not null, "description" varchar(4000) not null,
        "industry" varchar(64) not null, "data_kind" varchar(16) not null, "source" ${d.json} not null,
        "columns" ${d.json} not null, "row_count" bigint not null, "update_frequency" varchar(64) not null,
        "time_range_start" varchar(32) not null, "time_range_end" varchar(32) not null,
        "affected_object" varchar(32) not null, "harm" varchar(32) not null, "computed_level" varchar(16) not null,
        "declared_level" varchar(16) null, "level" varchar(16) not null, "level_justification" varchar(500) not null,
        "open_attribute" varchar(16) not null, "share_attribute" varchar(16) null, "rights" ${d.json} not null,
        "registration_number" varchar(32) null unique, "registered_at" ${d.timestamp} null,
        "status_reason" varchar(1000) null, "created_at" ${d.timestamp} not null,
        "updated_at" ${d.timestamp} not null)`,
      `create index "assets_registrant_id_index" on "assets" ("registrant_id")`,
      `create index "assets_status_index" on "assets" ("status")`,
      `create table "registration_counters" ("year" int not null primary key, "last_number" int not null)`,
      `create table "asset_certificates" ("id" varchar(36) not null primary key,
        "asset_id" varchar(36) not null references "assets" ("id"), "serial" int not null, "version" int not null,
        "status" varchar(16) not null, "registration_number" varchar(32) not null,
        "facts_hash" varchar(66) not null, "ledger_index" bigint not null, "document" ${d.json} not null,
        "issued_at" ${d.timestamp} not null)`,
      `create unique index "asset_certificates_asset_id_serial_unique" on "asset_certificates" ("asset_id", "serial")`,
      ...d.appendOnly('asset_certificates'),
      `create table "asset_requests" ("id" varchar(36) not null primary key,
        "asset_id" varchar(36) not null references "assets" ("id"), "kind" varchar(16) not null,
        "status" varchar(24) not null, "requested_by_organisation_id" varchar(36) not null,
        "requested_by_account_id" varchar(36) not null, "base_version" int not null, "proposed" ${d.json} null,
        "reason" varchar(1000) not null, "decision_reason" varchar(1000) null, "decided_at" ${d.timestamp} null,
        "created_at" ${d.timestamp} not null)`,
      `create index "asset_requests_asset_id_index" on "asset_requests" ("asset_id")`,
      `create table "asset_reviews" ("id" varchar(36) not null primary key,
        "asset_id" varchar(36) not null references "assets" ("id"), "request_id" varchar(36) null,
        "subject" varchar(16) not null, "decision" varchar(24) not null, "reason" varchar(1000) not null,
        "findings" ${d.json} null, "facts_hash" varchar(66) null, "reviewer_account_id" varchar(36) null,
        "reviewer_organisation_id" varchar(36) null, "ledger_index" bigint not null,
        "created_at" ${d.timestamp} not null)`,
      `create index "asset_reviews_asset_id_index" on "asset_reviews" ("asset_id")`,
      ...d.appendOnly('asset_reviews'),
      `create table "asset_valuations" ("id" varchar(36) not null primary key,
        "asset_id" varchar(36) not null references "assets" ("id"),
        "assessor_id" varchar(36) not null references "organisations" ("id"), "method" varchar(16) not null,
        "value_fen" bigint not null, "valued_on" varchar(10) not null, "report_sha256" varchar(64) not null,
        "asset_version" int not null, "ledger_index" bigint not null, "created_at" ${d.timestamp} not null)`,
      `create index "asset_valuations_asset_id_index" on "asset_valuations" ("asset_id")`,
      ...d.appendOnly('asset_valuations'),
    ];
  }
}
