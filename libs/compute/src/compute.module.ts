import { Module } from '@nestjs/common';
import { BlobsModule } from '@app/blobs';
import { DatabaseModule } from '@app/database';
import { JobsModule } from '@app/jobs';
import { LedgerModule } from '@app/ledger';
import { TradingModule } from '@app/trading';
import { ComputationReader } from './computation-reader.js';
import { ComputationReleaseService } from './computation-release.service.js';
import { ComputationService } from './computation.service.js';

/** The platform's side of computations: requests and their pre-checks, reading, release and refusal. */
@Module({
  imports: [DatabaseModule, LedgerModule, JobsModule, BlobsModule, TradingModule],
  providers: [ComputationService, ComputationReader, ComputationReleaseService],
  exports: [ComputationService, ComputationReader, ComputationReleaseService],
})
export class ComputeModule {}
