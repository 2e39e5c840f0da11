import { Module } from '@nestjs/common';
import { AssetsModule } from '@app/assets';
import { DatabaseModule } from '@app/database';
import { LedgerModule } from '@app/ledger';
import { ListingService } from './listing.service.js';
import { PricingBandService } from './pricing-band.service.js';
import { CatalogSearchModule } from './search/index.js';

/** Listings and pricing bands; the listing service keeps the searchable catalogue in step. */
@Module({
  imports: [DatabaseModule, LedgerModule, AssetsModule, CatalogSearchModule],
  providers: [ListingService, PricingBandService],
  exports: [ListingService, PricingBandService, CatalogSearchModule],
})
export class CatalogModule {}
