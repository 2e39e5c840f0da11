import { PortableMigration } from './portable-migration.js';
import type { SqlDialect } from './sql-dialect.js';

/** Listings, the assets they are built from, and the regulator's pricing bands with their history (DE 41). */
export class Migration008Listings extends PortableMigration {
  override name = '008-listings';

  protected statements(d: SqlDialect): string[] {
    return [
      `create table "pricing_bands" ("id" varchar(36) not null primary key, "category" varchar(100) not null,
        "version" int not null, "min_fen" bigint not null, "max_fen" bigint not null,
        "public_resource_fee_basis_points" int not null, "published_by_organisation_id" varchar(36) not null,
        "published_at" ${d.timestamp} not null, "superseded_at" ${d.timestamp} null,
        constraint "pricing_bands_category_version_unique" unique ("category", "version"),
        constraint "pricing_bands_range_check" check ("min_fen" >= 0 and "max_fen" >= "min_fen"))`,
      `create table "listings" ("id" varchar(36) not null primary key,
        "organisation_id" varchar(36) not null references "organisations" ("id"),
        "title" varchar(200) not null, "description" text not null, "industry" varchar(100) not null,
        "level" varchar(16) not null, "open_attribute" varchar(16) not null, "data_kinds" ${d.json} not null,
        "pricing_mode" varchar(24) not null, "price_fen" bigint not null, "pricing_category" varchar(100) null,
        "pricing_band_id" varchar(36) null references "pricing_bands" ("id"), "billing_units" ${d.json} not null,
        "subscription_days" int null, "delivery" varchar(16) not null, "recipes" ${d.json} not null,
        "min_rows" int null, "status" varchar(16) not null, "status_reason" varchar(500) null,
        "created_at" ${d.timestamp} not null, "updated_at" ${d.timestamp} not null,
        "published_at" ${d.timestamp} null,
        constraint "listings_price_check" check ("price_fen" >= 0))`,
      `create index "listings_organisation_id_created_at_index" on "listings" ("organisation_id", "created_at", "id")`,
      `create index "listings_status_created_at_index" on "listings" ("status", "created_at", "id")`,
      `create table "listing_assets" ("listing_id" varchar(36) not null references "listings" ("id"),
        "asset_id" varchar(36) not null references "assets" ("id"), "position" int not null, primary key ("listing_id", "asset_id"))`,
      `create index "listing_assets_asset_id_index" on "listing_assets" ("asset_id")`,
    ];
  }
}
