import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig, Clock } from '@app/core';
import { DomainModule } from '@app/platform';
import { AssetsController } from './assets/assets.controller.js';
import { CertificatesController } from './assets/certificates.controller.js';
import { OrganisationAssetsController } from './assets/organisation-assets.controller.js';
import { ListingsController } from './catalog/listings.controller.js';
import { PricingBandsController } from './catalog/pricing-bands.controller.js';
import { CatalogSearchController } from './catalog/catalog-search.controller.js';
import { DatasetsController } from './datasets/datasets.controller.js';
import { ComputationsController } from './computations/computations.controller.js';
import { RecipesController } from './computations/recipes.controller.js';
import { ComputationHeartbeat } from './computations/computation-heartbeat.js';
import { ResultKeysController } from './results/result-keys.controller.js';
import { HealthController } from './health/health.controller.js';
import { AccessGuard } from './http/access.guard.js';
import { AccountsController } from './identity/accounts.controller.js';
import { ApiTokensController } from './identity/api-tokens.controller.js';
import { AuthController } from './identity/auth.controller.js';
import { OrganisationsController } from './identity/organisations.controller.js';
import { LedgerController } from './ledger/ledger.controller.js';
import { LedgerHeartbeat } from './ledger/ledger-heartbeat.js';
import { SettlementController } from './settlement/settlement.controller.js';
import { NegotiationsController } from './trading/negotiations.controller.js';
import { ContractsController } from './trading/contracts.controller.js';
import { TradeViews } from './trading/trade-views.js';
import { SigningAddressController } from './trading/signing-address.controller.js';
import { DeliveryFilesController } from './trading/delivery-files.controller.js';
import { ContractMoneyController } from './trading/contract-money.controller.js';
import { DisputesController } from './trading/disputes.controller.js';
import { ContractSuspensionController } from './trading/contract-suspension.controller.js';
import { TradingHeartbeat } from './trading/trading-heartbeat.js';
import { IncidentsController } from './oversight/incidents.controller.js';
import { RiskReportsController } from './oversight/risk-reports.controller.js';
import { DestructionsController } from './oversight/destructions.controller.js';
import { ComplaintsController } from './oversight/complaints.controller.js';
import { SupervisionController } from './oversight/supervision.controller.js';
import { OversightHeartbeat } from './oversight/oversight-heartbeat.js';

/** The HTTP side only: controllers, the access guard and the ledger's heartbeat over the domain from @app/platform. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [DomainModule.forRoot(config, clock)],
      controllers: [
        HealthController,
        AuthController,
        OrganisationsController,
        ApiTokensController,
        AccountsController,
        LedgerController,
        SettlementController,
        AssetsController,
        CertificatesController,
        OrganisationAssetsController,
        PricingBandsController,
        ListingsController,
        CatalogSearchController,
        NegotiationsController,
        SigningAddressController,
        ContractsController,
        DeliveryFilesController,
        ContractMoneyController,
        DisputesController,
        ContractSuspensionController,
        DatasetsController,
        ResultKeysController,
        ComputationsController,
        RecipesController,
        IncidentsController,
        RiskReportsController,
        DestructionsController,
        ComplaintsController,
        SupervisionController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        LedgerHeartbeat,
        TradingHeartbeat,
        ComputationHeartbeat,
        OversightHeartbeat,
        TradeViews,
      ],
    };
  }
}
