import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { LedgerModule } from '@app/ledger';
import { ResultKeyService } from './result-key.service.js';

/** The buyers' result keys (what released results are sealed to). */
@Module({
  imports: [DatabaseModule, LedgerModule],
  providers: [ResultKeyService],
  exports: [ResultKeyService],
})
export class ResultsModule {}
