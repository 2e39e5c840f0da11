import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { PartyReader } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { SettlementService } from './settlement.service.js';

/** `PartyReader` is stateless (one bound statement over the ORM); identity does not export it, so it is provided here. */
@Module({
  imports: [DatabaseModule, LedgerModule],
  providers: [SettlementService, PartyReader],
  exports: [SettlementService],
})
export class SettlementModule {}
