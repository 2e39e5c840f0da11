import { Module } from '@nestjs/common';
import { AssetsModule } from '@app/assets';
import { CatalogModule } from '@app/catalog';
import { DatabaseModule } from '@app/database';
import { IdentityModule } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { SettlementModule } from '@app/settlement';
import { ContractFormation } from './contract-formation.js';
import { ContractReader } from './contract-reader.js';
import { NegotiationService } from './negotiation.service.js';
import { ContractSigningService } from './contract-signing.service.js';
import { SigningAddressService } from './signing-address.service.js';
import { DeliveryFileStore } from './delivery-file-store.js';
import { DeliveryFileService } from './delivery-file.service.js';
import { ContractDeliveryService } from './contract-delivery.service.js';
import { ContractFundingService } from './contract-funding.service.js';
import { DisputeService } from './dispute.service.js';
import { ContractSuspensionService } from './contract-suspension.service.js';

const SERVICES = [
  ContractReader,
  ContractFormation,
  NegotiationService,
  SigningAddressService,
  ContractSigningService,
  DeliveryFileStore,
  DeliveryFileService,
  ContractFundingService,
  ContractDeliveryService,
  DisputeService,
  ContractSuspensionService,
] as const;

/** Negotiation, signed contracts, escrow funding and release through settlement, file delivery and disputes. */
@Module({
  imports: [DatabaseModule, LedgerModule, IdentityModule, AssetsModule, CatalogModule, SettlementModule],
  providers: [...SERVICES],
  exports: [...SERVICES],
})
export class TradingModule {}
