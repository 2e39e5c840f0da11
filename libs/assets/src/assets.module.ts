import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { LedgerModule } from '@app/ledger';
import { AssetLifecycle } from './asset-lifecycle.js';
import { AssetReader } from './asset-reader.js';
import { AssetReviewService } from './asset-review.service.js';
import { AssetService } from './asset.service.js';
import { CertificateService } from './certificate.service.js';
import { ImportantDataCatalogue } from './important-data-catalogue.js';

const SERVICES = [
  AssetReader,
  AssetLifecycle,
  AssetService,
  AssetReviewService,
  CertificateService,
  ImportantDataCatalogue,
];

@Module({
  imports: [DatabaseModule, LedgerModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class AssetsModule {}
