import { Module } from '@nestjs/common';
import { AssetsModule } from '@app/assets';
import { BlobsModule } from '@app/blobs';
import { CatalogModule } from '@app/catalog';
import { ComputeModule } from '@app/compute';
import { DatabaseModule } from '@app/database';
import { DatasetsModule } from '@app/datasets';
import { IdentityModule } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { SettlementModule } from '@app/settlement';
import { TradingModule } from '@app/trading';
import { ComplaintService } from './complaints/complaint.service.js';
import { DestructionService } from './destruction/destruction.service.js';
import { IncidentService } from './incidents/incident.service.js';
import { RiskReportService } from './risk-reports/risk-report.service.js';
import { SupervisionService } from './supervision/supervision.service.js';

const SERVICES = [
  IncidentService,
  RiskReportService,
  DestructionService,
  ComplaintService,
  SupervisionService,
];

/** The regulators' and operator's workspace: it reads and acts on the other libs, which never import it. */
@Module({
  imports: [
    DatabaseModule,
    LedgerModule,
    IdentityModule,
    AssetsModule,
    CatalogModule,
    SettlementModule,
    TradingModule,
    BlobsModule,
    DatasetsModule,
    ComputeModule,
  ],
  providers: SERVICES,
  exports: SERVICES,
})
export class OversightModule {}
