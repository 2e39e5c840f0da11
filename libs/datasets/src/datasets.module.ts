import { Module } from '@nestjs/common';
import { AssetsModule } from '@app/assets';
import { BlobsModule } from '@app/blobs';
import { DatabaseModule } from '@app/database';
import { LedgerModule } from '@app/ledger';
import { DatasetService } from './dataset.service.js';

/** Encrypted dataset upload sessions over the blob store. */
@Module({
  imports: [DatabaseModule, LedgerModule, AssetsModule, BlobsModule],
  providers: [DatasetService],
  exports: [DatasetService],
})
export class DatasetsModule {}
