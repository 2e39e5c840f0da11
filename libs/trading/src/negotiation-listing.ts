import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { Asset, AssetReader, type ListableAsset } from '@app/assets';
import { Listing, ListingAsset, PricingBand } from '@app/catalog';
import type { TradedListing } from '@app/compliance';
import { sqlKindOf } from '@app/database';

/** A listing as the trading rules see it, read and locked inside the step's transaction. */
export interface ListingContext {
  listing: Listing;
  band: PricingBand | null;
  /** The listing's assets as the rules read them (level, open attribute, columns). */
  assets: ListableAsset[];
  /** The same assets' rights with their shares (DE 35), for the revenue shares. */
  rights: Asset['rights'][];
  traded: TradedListing;
  /** A personal-data asset or a personal-information column anywhere in the listing (DS 72). */
  personalInformation: boolean;
}

/**
 * Reads the listing, its assets and its band inside the caller's transaction and holds them against change until
 * it ends (PostgreSQL `FOR SHARE`; SQLite serialises writers anyway): the assets first, then the listing row, then
 * (by the caller) the negotiation and the ledger — the order the catalogue's own steps take (assets, listing,
 * ledger), so a suspension or an asset's withdrawal racing a negotiation step queues instead of deadlocking.
 * Null when the listing does not exist. Precondition: inside a transaction.
 */
export async function lockListing(
  em: EntityManager,
  reader: AssetReader,
  listingId: string,
): Promise<ListingContext | null> {
  const links = await em.find(ListingAsset, { listingId }, { orderBy: { position: 'asc' } });
  if (links.length === 0) return null;
  const assetIds = links.map((k) => k.assetId);
  const found = await reader.listable(em, assetIds);
  const listing = await em.findOne(
    Listing,
    { id: listingId },
    { refresh: true, ...(sqlKindOf(em) === 'sqlite' ? {} : { lockMode: LockMode.PESSIMISTIC_READ }) },
  );
  if (!listing) return null;
  const assets = assetIds
    .map((id) => found.find((a) => a.id === id))
    .filter((a): a is ListableAsset => a !== undefined);
  const rows = await em.find(Asset, { id: { $in: assetIds } });
  const rights = assetIds.map((id) => rows.find((a) => a.id === id)?.rights ?? []);
  const band = listing.pricingBandId ? await em.findOne(PricingBand, { id: listing.pricingBandId }) : null;
  return {
    listing,
    band,
    assets,
    rights,
    traded: {
      level: listing.level,
      openAttribute: listing.openAttribute,
      dataKinds: listing.dataKinds,
      delivery: listing.delivery,
      pricingMode: listing.pricingMode,
      billingUnits: listing.billingUnits,
      recipes: listing.recipes,
      band: band && {
        category: band.category,
        minFen: band.minFen,
        maxFen: band.maxFen,
        publicResourceFeeBasisPoints: band.publicResourceFeeBasisPoints,
      },
    },
    personalInformation: assets.some(
      (a) => a.dataKind === 'personal' || a.columns.some((c) => c.personalInformation),
    ),
  };
}
