import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { LedgerModule } from '@app/ledger';
import { AssetLifecycle } from './asset-lifecycle.js';
import { AssetReader } from './asset-reader.js';
import { AssetReviewService } from './asset-review.service.js';
import { AssetService } from './asset.service.js';
import { CertificateService } from './certificate.service.js';
import { ImportantDataCatalogue } from './important-data-catalogue.js';
import { AssetRequestService } from './asset-request.service.js';
import { ValuationService } from './valuation.service.js';

const SERVICES = [
  AssetReader,
  AssetLifecycle,
  AssetService,
  AssetReviewService,
  CertificateService,
  ImportantDataCatalogue,
  AssetRequestService,
  ValuationService,
];

@Module({
  imports: [DatabaseModule, LedgerModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class AssetsModule {}
