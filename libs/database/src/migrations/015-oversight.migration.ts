import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * The regulators' and operator's workspace (`@app/oversight`, issue 12): security incidents and the parties told of
 * them (DS 12, 15, 16), risk assessment reports (DS 60, 63, 65), destruction requests with the blobs they destroyed
 * (DS 37), and complaints from anyone (DE 26, DE 60, DS 58).
 *
 * `risk_reports` is append-only like the ledger: DS 60 keeps a report at least three years, and here nothing
 * deletes or rewrites one at all (a correction is a new report that supersedes it). `destroyed_blobs` lists every
 * blob a destruction took, with when its bytes were removed: the removal runs after the commit, and a sweep
 * finishes what a crash left.
 */
export class Migration015Oversight extends PortableMigration {
  override name = '015-oversight';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "incidents" ("id" varchar(36) not null primary key,
        "reported_by_organisation_id" varchar(36) not null references "organisations" ("id"),
        "reported_by_account_id" varchar(36) not null,
        "title" varchar(200) not null, "description" text not null, "occurred_at" ${d.timestamp} not null,
        "affected_asset_ids" ${d.json} not null,
        "importance" varchar(24) not null, "importance_source" varchar(16) not null,
        "business_loss" varchar(24) not null, "social_harm" varchar(24) not null,
        "level" int not null, "level_justification" varchar(1000) not null, "measures" text not null,
        "state" varchar(16) not null,
        "regulator_notified_at" ${d.timestamp} null, "summary_due_at" ${d.timestamp} null,
        "overdue_flagged_at" ${d.timestamp} null, "summary" text null,
        "acknowledged_by_account_id" varchar(36) null, "acknowledged_at" ${d.timestamp} null,
        "contained_at" ${d.timestamp} null,
        "closed_by_account_id" varchar(36) null, "closed_at" ${d.timestamp} null,
        "reported_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null,
        constraint "incidents_level_check" check ("level" between 1 and 4))`,
      `create index "incidents_reporter_index" on "incidents" ("reported_by_organisation_id", "reported_at", "id")`,
      `create index "incidents_state_index" on "incidents" ("state", "level")`,
      `create index "incidents_summary_due_index" on "incidents" ("summary_due_at")`,
      `create index "incidents_reported_at_index" on "incidents" ("reported_at", "id")`,
      `create table "incident_notices" ("incident_id" varchar(36) not null references "incidents" ("id"),
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "contract_ids" ${d.json} not null, "notified_at" ${d.timestamp} not null, "read_at" ${d.timestamp} null,
        primary key ("incident_id", "organisation_id"))`,
      `create index "incident_notices_organisation_index" on "incident_notices" ("organisation_id", "notified_at")`,

      `create table "risk_reports" ("id" varchar(36) not null primary key,
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "filed_by_account_id" varchar(36) not null, "period_year" int not null,
        "assessor_kind" varchar(16) not null, "assessor_name" varchar(200) null,
        "assessor_credit_code" varchar(18) null,
        "important_data" ${d.json} not null, "processing_activities" text not null, "risks" ${d.json} not null,
        "conclusion" text not null, "supersedes_id" varchar(36) null references "risk_reports" ("id"),
        "content_sha256" varchar(64) not null,
        "filed_at" ${d.timestamp} not null, "retain_until" ${d.timestamp} not null)`,
      `create index "risk_reports_organisation_index" on "risk_reports" ("organisation_id", "filed_at", "id")`,
      // A report is superseded once: the append-only table cannot be marked, so two corrections of one report
      // (also two racing) meet this index and the second is a 409.
      `create unique index "risk_reports_supersedes_unique" on "risk_reports" ("supersedes_id")`,
      `create index "risk_reports_filed_index" on "risk_reports" ("filed_at", "id")`,
      ...d.appendOnly('risk_reports'),

      `create table "destructions" ("id" varchar(36) not null primary key,
        "asset_id" varchar(36) not null references "assets" ("id"),
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "requested_by_account_id" varchar(36) not null, "reason" varchar(2000) not null,
        "asset_level" varchar(16) not null, "needs_approval" ${d.bool} not null, "state" varchar(16) not null,
        "decided_by_account_id" varchar(36) null, "decided_at" ${d.timestamp} null,
        "decision_reason" varchar(2000) null, "inventory" ${d.json} null,
        "executed_at" ${d.timestamp} null, "bytes_removed_at" ${d.timestamp} null,
        "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null)`,
      `create index "destructions_organisation_index" on "destructions" ("organisation_id", "created_at", "id")`,
      `create index "destructions_state_index" on "destructions" ("state", "created_at", "id")`,
      // One open request per asset: a second while one is requested or approved is a 409, also when two race.
      `create unique index "destructions_open_unique" on "destructions" ("asset_id")
        where "state" in ('requested', 'approved', 'executed')`,
      `create table "destroyed_blobs" ("sha256" varchar(64) not null,
        "destruction_id" varchar(36) not null references "destructions" ("id"),
        "store" varchar(16) not null, "removed_at" ${d.timestamp} null,
        primary key ("destruction_id", "store", "sha256"))`,
      `create index "destroyed_blobs_pending_index" on "destroyed_blobs" ("removed_at")`,

      `create table "complaints" ("id" varchar(36) not null primary key,
        "receipt_hash" varchar(64) not null unique,
        "reporter_account_id" varchar(36) null, "reporter_organisation_id" varchar(36) null,
        "reporter_contact" varchar(200) null, "category" varchar(32) not null,
        "subject_kind" varchar(16) null, "subject_id" varchar(36) null, "reported_organisation_id" varchar(36) null,
        "statement" text not null, "evidence_hashes" ${d.json} not null,
        "state" varchar(16) not null, "outcome" varchar(16) null, "public_note" varchar(2000) null,
        "decision_reason" varchar(2000) null, "suspension" ${d.json} null,
        "handled_by_account_id" varchar(36) null,
        "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null,
        "decided_at" ${d.timestamp} null)`,
      `create index "complaints_state_index" on "complaints" ("state", "created_at", "id")`,
      `create index "complaints_created_index" on "complaints" ("created_at", "id")`,

      // supervision
      // The trades figure (DS 59) reads only these columns of contracts funded in a window: an index-only scan.
      `create index "contracts_funded_index" on "contracts" ("funded_at", "listing_id", "level", "amount_fen")`,
    ];
  }
}
