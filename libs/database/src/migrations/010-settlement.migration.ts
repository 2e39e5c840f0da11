import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Settlement (libs/settlement): accounts whose four totals the store keeps, append-only transfers, holds and
 * idempotency keys. The guard `debits_posted + debits_pending <= credits_posted` is a CHECK constraint as well as
 * the condition of every debiting update, so no code path can leave a guarded account overdrawn. A pending
 * transfer is resolved at most once and a transfer reversed at most once: unique indexes say so. A transfer's id is
 * `<operationId>.<nnn>` (its place in its linked group), so an operation's transfers are found by primary key. The
 * transfers carry no foreign keys to the accounts (two RI checks per row cost a third of the batched throughput):
 * the store creates or updates every account it names in the same transaction, and the trial balance's
 * reconciliation would show a transfer whose account has no row.
 */
export class Migration010Settlement extends PortableMigration {
  override name = '010-settlement';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "settlement_accounts" ("id" varchar(80) not null primary key,
        "organisation_id" varchar(36) null, "purpose" varchar(20) not null, "guard_debits" int not null,
        "debits_posted" bigint not null default 0, "credits_posted" bigint not null default 0,
        "debits_pending" bigint not null default 0, "credits_pending" bigint not null default 0,
        "created_at" ${d.timestamp} not null,
        constraint "settlement_accounts_totals_non_negative" check ("debits_posted" >= 0 and "credits_posted" >= 0
          and "debits_pending" >= 0 and "credits_pending" >= 0),
        constraint "settlement_accounts_guard" check ("guard_debits" = 0
          or "debits_posted" + "debits_pending" <= "credits_posted"))`,
      `create index "settlement_accounts_organisation_index" on "settlement_accounts" ("organisation_id")`,
      `create table "settlement_transfers" ("id" varchar(40) not null primary key,
        "kind" varchar(12) not null, "code" varchar(20) not null,
        "debit_account_id" varchar(80) not null,
        "credit_account_id" varchar(80) not null,
        "amount" bigint not null, "pending_id" varchar(40) null, "pending_amount" bigint null,
        "reverses_id" varchar(40) null, "created_at" ${d.timestamp} not null,
        constraint "settlement_transfers_amount_positive" check ("amount" > 0),
        constraint "settlement_transfers_two_accounts" check ("debit_account_id" <> "credit_account_id"))`,
      `create index "settlement_transfers_debit_index" on "settlement_transfers" ("debit_account_id")`,
      `create index "settlement_transfers_credit_index" on "settlement_transfers" ("credit_account_id")`,
      `create unique index "settlement_transfers_pending_unique" on "settlement_transfers" ("pending_id")
        where "pending_id" is not null`,
      `create unique index "settlement_transfers_reverses_unique" on "settlement_transfers" ("reverses_id")
        where "reverses_id" is not null`,
      `create table "settlement_holds" ("id" varchar(64) not null primary key,
        "payer_organisation_id" varchar(36) not null, "amount" bigint not null, "posted_amount" bigint null,
        "state" varchar(10) not null, "pending_transfer_id" varchar(40) not null,
        "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null,
        constraint "settlement_holds_posted_within" check ("posted_amount" is null
          or ("posted_amount" > 0 and "posted_amount" <= "amount")))`,
      `create index "settlement_holds_payer_index" on "settlement_holds" ("payer_organisation_id")`,
      `create table "settlement_idempotency" ("key" varchar(200) not null primary key,
        "fingerprint" varchar(64) not null, "result" text not null,
        "created_at" ${d.timestamp} not null)`,
      ...d.appendOnly('settlement_transfers'),
      ...d.appendOnly('settlement_idempotency'),
    ];
  }
}
