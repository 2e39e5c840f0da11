import { Module } from '@nestjs/common';
import { AssetsModule } from '@app/assets';
import { CatalogModule } from '@app/catalog';
import { DatabaseModule } from '@app/database';
import { IdentityModule } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { SettlementModule } from '@app/settlement';
import { ContractReader } from './contract-reader.js';
import { DeliveryFileStore } from './delivery-file-store.js';
import { DeliveryFileService } from './delivery-file.service.js';

const SERVICES = [ContractReader, DeliveryFileStore, DeliveryFileService] as const;

/** Negotiation, signed contracts, escrow funding and release through settlement, file delivery and disputes. */
@Module({
  imports: [DatabaseModule, LedgerModule, IdentityModule, AssetsModule, CatalogModule, SettlementModule],
  providers: [...SERVICES],
  exports: [...SERVICES],
})
export class TradingModule {}
