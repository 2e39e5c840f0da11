import { Module } from '@nestjs/common';
import { AssetsModule } from '@app/assets';
import { CatalogModule } from '@app/catalog';
import { DatabaseModule } from '@app/database';
import { IdentityModule } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { SettlementModule } from '@app/settlement';
import { ContractReader } from './contract-reader.js';
import { ContractDeliveryService } from './contract-delivery.service.js';
import { ContractFundingService } from './contract-funding.service.js';
import { DisputeService } from './dispute.service.js';

const SERVICES = [ContractReader, ContractFundingService, ContractDeliveryService, DisputeService] as const;

/** Negotiation, signed contracts, escrow funding and release through settlement, file delivery and disputes. */
@Module({
  imports: [DatabaseModule, LedgerModule, IdentityModule, AssetsModule, CatalogModule, SettlementModule],
  providers: [...SERVICES],
  exports: [...SERVICES],
})
export class TradingModule {}
