import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { IdentityModule } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { SettlementService } from './settlement.service.js';

@Module({
  imports: [DatabaseModule, LedgerModule, IdentityModule],
  providers: [SettlementService],
  exports: [SettlementService],
})
export class SettlementModule {}
