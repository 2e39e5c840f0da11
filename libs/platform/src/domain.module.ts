import { Module, type DynamicModule } from '@nestjs/common';
import { SecretBox, loadSecretBox, type AppConfig, type Clock } from '@app/core';
import { ASSET_ENTITIES, AssetsModule } from '@app/assets';
import { BlobsModule } from '@app/blobs';
import { CATALOG_ENTITIES, CatalogModule } from '@app/catalog';
import { COMPUTE_ENTITIES, ComputeModule } from '@app/compute';
import { DATABASE_ENTITIES, DatabaseModule } from '@app/database';
import { DATASET_ENTITIES, DatasetsModule } from '@app/datasets';
import { IDENTITY_ENTITIES, IdentityModule } from '@app/identity';
import { JobsModule } from '@app/jobs';
import { OVERSIGHT_ENTITIES, OversightModule } from '@app/oversight';
import { ANCHOR_BYTECODE, LedgerModule, type AnchorBytecodeSource } from '@app/ledger';
import { RESULT_ENTITIES, ResultsModule } from '@app/results';
import { SettlementModule } from '@app/settlement';
import { TRADING_ENTITIES, TradingModule } from '@app/trading';
import { CoreModule } from './core.module.js';
import { InProcessComputeModule } from './in-process-compute.module.js';

/** Every entity of the domain's libs: one ORM serves them all. A new lib adds its entities here. */
export const DOMAIN_ENTITIES = [
  ...IDENTITY_ENTITIES,
  ...ASSET_ENTITIES,
  ...CATALOG_ENTITIES,
  ...TRADING_ENTITIES,
  ...DATASET_ENTITIES,
  ...RESULT_ENTITIES,
  ...COMPUTE_ENTITIES,
  ...OVERSIGHT_ENTITIES,
];

/** The domain's modules, each importing the modules it injects from. A new lib's module joins this list. */
const DOMAIN_MODULES = [
  DatabaseModule,
  LedgerModule,
  JobsModule,
  IdentityModule,
  AssetsModule,
  CatalogModule,
  SettlementModule,
  TradingModule,
  BlobsModule,
  DatasetsModule,
  ResultsModule,
  ComputeModule,
  InProcessComputeModule,
  OversightModule,
];

/**
 * Lets the exchange deploy its anchor contract on a chain that has none yet. solc-js is loaded only then: it is
 * large and slow to start.
 */
const anchorBytecode: AnchorBytecodeSource = async () => {
  const { loadProvenanceAnchorArtifact } = await import('../../../contracts/build.js');
  return (await loadProvenanceAnchorArtifact()).bytecode;
};

/**
 * The domain without HTTP: what the API serves, and what the CLI's bootstrap commands run. The API adds only its
 * controllers, guard and timers on top; everything of the domain is here, in one place.
 */
@Module({})
export class DomainModule {
  /** A test passes its own clock to move time. */
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: DomainModule,
      imports: [
        CoreModule.forRoot(config, clock, [
          { provide: SecretBox, useFactory: () => loadSecretBox(config) },
          { provide: DATABASE_ENTITIES, useValue: DOMAIN_ENTITIES },
          { provide: ANCHOR_BYTECODE, useValue: anchorBytecode },
        ]),
        ...DOMAIN_MODULES,
      ],
      exports: DOMAIN_MODULES,
    };
  }
}
