import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Trading (libs/trading): where an organisation is registered (DS 38, 72), signing addresses, negotiations with
 * their immutable versions, contracts, disputes and the files of file-delivery listings. Versions are append-only;
 * contracts, negotiations and disputes move by conditional updates; a negotiation forms at most one contract.
 */
export class Migration011Trading extends PortableMigration {
  override name = '011-trading';

  protected statements(d: SqlDialect): string[] {
    return [
      `alter table "organisations" add column "registered_in" varchar(2) not null default 'CN'`,
      `create table "signing_addresses" ("organisation_id" varchar(36) not null primary key
          references "organisations" ("id"),
        "address" varchar(42) not null, "registered_by_account_id" varchar(36) not null,
        "registered_at" ${d.timestamp} not null)`,
      `create table "signing_challenges" ("nonce" varchar(32) not null primary key,
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "issued_to_account_id" varchar(36) not null, "message" varchar(1000) not null,
        "issued_at" ${d.timestamp} not null, "expires_at" ${d.timestamp} not null, "used_at" ${d.timestamp} null)`,
      `create index "signing_challenges_organisation_index" on "signing_challenges" ("organisation_id", "issued_at")`,
      `create table "negotiations" ("id" varchar(36) not null primary key,
        "listing_id" varchar(36) not null references "listings" ("id"),
        "buyer_organisation_id" varchar(36) not null references "organisations" ("id"),
        "merchant_organisation_id" varchar(36) not null references "organisations" ("id"),
        "state" varchar(16) not null, "version" int not null, "agreed_version" int null,
        "purpose_approval" varchar(16) not null, "contract_id" varchar(36) null,
        "offer_expires_at" ${d.timestamp} null,
        "termination_reason" varchar(32) null, "termination_detail" varchar(500) null,
        "terminated_by_side" varchar(16) null,
        "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null,
        constraint "negotiations_version_positive" check ("version" >= 1))`,
      `create index "negotiations_listing_id_index" on "negotiations" ("listing_id")`,
      `create index "negotiations_expiry_index" on "negotiations" ("state", "offer_expires_at")`,
      `create index "negotiations_buyer_index" on "negotiations" ("buyer_organisation_id", "created_at", "id")`,
      `create index "negotiations_merchant_index" on "negotiations" ("merchant_organisation_id", "created_at", "id")`,
      `create table "negotiation_versions" ("negotiation_id" varchar(36) not null references "negotiations" ("id"),
        "version" int not null, "side" varchar(16) not null, "author_organisation_id" varchar(36) not null,
        "author_account_id" varchar(36) not null, "terms" ${d.json} not null, "terms_hash" varchar(66) not null,
        "changes" ${d.json} not null, "expires_at" ${d.timestamp} not null, "created_at" ${d.timestamp} not null,
        primary key ("negotiation_id", "version"))`,
      `create table "contracts" ("id" varchar(36) not null primary key,
        "negotiation_id" varchar(36) not null references "negotiations" ("id"), "version" int not null,
        "listing_id" varchar(36) not null references "listings" ("id"),
        "buyer_organisation_id" varchar(36) not null references "organisations" ("id"),
        "merchant_organisation_id" varchar(36) not null references "organisations" ("id"),
        "level" varchar(16) not null, "terms" ${d.json} not null, "terms_hash" varchar(66) not null,
        "clauses" ${d.json} not null, "amount_fen" bigint not null,
        "platform_fee_basis_points" int not null, "public_resource_fee_basis_points" int not null,
        "shares" ${d.json} not null, "state" varchar(24) not null, "escrow" varchar(16) not null,
        "buyer_signer" varchar(42) null, "buyer_signature" varchar(132) null, "buyer_signed_at" ${d.timestamp} null,
        "merchant_signer" varchar(42) null, "merchant_signature" varchar(132) null,
        "merchant_signed_at" ${d.timestamp} null,
        "platform_signer" varchar(42) null, "platform_signature" varchar(132) null,
        "countersigned_at" ${d.timestamp} null,
        "computations_used" int not null default 0,
        "funded_at" ${d.timestamp} null, "ends_at" ${d.timestamp} null, "delivery_due_at" ${d.timestamp} null,
        "delivered_at" ${d.timestamp} null, "ended_at" ${d.timestamp} null, "end_reason" varchar(24) null,
        "end_detail" varchar(500) null,
        "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null,
        constraint "contracts_negotiation_unique" unique ("negotiation_id"),
        constraint "contracts_amount_check" check ("amount_fen" >= 0),
        constraint "contracts_computations_check" check ("computations_used" >= 0))`,
      `create index "contracts_listing_id_index" on "contracts" ("listing_id")`,
      `create index "contracts_buyer_index" on "contracts" ("buyer_organisation_id", "created_at", "id")`,
      `create index "contracts_merchant_index" on "contracts" ("merchant_organisation_id", "created_at", "id")`,
      `create index "contracts_state_index" on "contracts" ("state", "ends_at")`,
      `create table "disputes" ("id" varchar(36) not null primary key,
        "contract_id" varchar(36) not null references "contracts" ("id"),
        "opened_by_organisation_id" varchar(36) not null, "opened_by_side" varchar(16) not null,
        "opened_by_account_id" varchar(36) not null, "statement" text not null,
        "evidence_hashes" ${d.json} not null, "state" varchar(16) not null, "outcome" varchar(16) null,
        "buyer_share_basis_points" int null, "decision_reason" varchar(2000) null,
        "decided_by_account_id" varchar(36) null, "decided_at" ${d.timestamp} null,
        "created_at" ${d.timestamp} not null,
        constraint "disputes_share_check" check ("buyer_share_basis_points" is null
          or ("buyer_share_basis_points" >= 0 and "buyer_share_basis_points" <= 10000)))`,
      `create index "disputes_contract_id_index" on "disputes" ("contract_id")`,
      `create table "delivery_files" ("id" varchar(36) not null primary key,
        "listing_id" varchar(36) not null references "listings" ("id"),
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "name" varchar(255) not null, "media_type" varchar(100) not null, "size_bytes" bigint not null,
        "sha256" varchar(66) not null, "uploaded_by_account_id" varchar(36) not null,
        "created_at" ${d.timestamp} not null)`,
      `create index "delivery_files_listing_id_index" on "delivery_files" ("listing_id", "created_at")`,
      // The same bytes once per listing: a second upload of them is a 409, also when two race.
      `create unique index "delivery_files_listing_sha256_unique" on "delivery_files" ("listing_id", "sha256")`,
      ...d.appendOnly('negotiation_versions'),
      ...d.appendOnly('delivery_files'),
    ];
  }
}
