import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Computations on encrypted datasets (`@app/compute`, issue 11): a buyer's request under an active contract, its
 * evaluation by a sandbox worker and its release by the data holder's agent. A computation moves by conditional
 * updates only (queued → running → evaluated → released, or refused / failed); `attempt` lets a second worker take
 * over a job whose first worker died, and only the latest attempt may record the evaluation.
 *
 * The contract's differential-privacy budget lives on the contract row: `epsilon_spent_milli` grows by a conditional
 * update that never passes `epsilon_budget_milli`. Listings may set both figures; null means the platform default.
 */
export class Migration014Computations extends PortableMigration {
  override name = '014-computations';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "computations" ("id" varchar(36) not null primary key,
        "contract_id" varchar(36) not null references "contracts" ("id"),
        "dataset_id" varchar(36) not null references "datasets" ("id"),
        "buyer_organisation_id" varchar(36) not null references "organisations" ("id"),
        "merchant_organisation_id" varchar(36) not null references "organisations" ("id"),
        "submitted_by_account_id" varchar(36) not null,
        "recipe" varchar(64) not null, "bindings" ${d.json} not null, "filters" ${d.json} not null,
        "params_sha256" varchar(64) null, "query_key" varchar(64) not null, "job_spec" ${d.json} not null,
        "row_set" ${d.json} not null, "rows_aggregated" int not null,
        "min_rows" int not null, "epsilon_milli" int not null,
        "state" varchar(16) not null, "reason_code" varchar(48) null, "reason" varchar(500) null,
        "attempt" int not null default 0,
        "evaluation_sha256" varchar(64) null, "output_sha256" varchar(64) null, "inputs_sha256" varchar(64) null,
        "result_sha256" varchar(64) null, "epsilon_spent_milli" int null, "metered_unit" int null,
        "repeat_of" varchar(36) null references "computations" ("id"),
        "queued_at" ${d.timestamp} not null, "started_at" ${d.timestamp} null,
        "evaluated_at" ${d.timestamp} null, "finished_at" ${d.timestamp} null,
        "updated_at" ${d.timestamp} not null,
        constraint "computations_rows_check" check ("rows_aggregated" >= 0),
        constraint "computations_epsilon_check" check ("epsilon_milli" > 0))`,
      `create index "computations_contract_index" on "computations" ("contract_id", "queued_at", "id")`,
      `create index "computations_merchant_state_index" on "computations" ("merchant_organisation_id", "state", "queued_at", "id")`,
      `create index "computations_buyer_index" on "computations" ("buyer_organisation_id", "queued_at", "id")`,
      `create index "computations_dataset_index" on "computations" ("dataset_id")`,
      `alter table "listings" add column "epsilon_budget_milli" int null`,
      `alter table "listings" add column "epsilon_per_release_milli" int null`,
      `alter table "contracts" add column "epsilon_budget_milli" int not null default 0`,
      `alter table "contracts" add column "epsilon_spent_milli" int not null default 0`,
    ];
  }
}
