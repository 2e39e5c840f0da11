import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, Clock, SecretBox, SystemClock, loadSecretBox, type AppConfig } from '@app/core';
import { DatabaseModule } from '@app/database';
import { IDENTITY_ENTITIES, IdentityModule } from '@app/identity';
import { JobsModule } from '@app/jobs';
import { LedgerModule, type AnchorBytecodeSource } from '@app/ledger';
import { HealthController } from './health/health.controller.js';
import { AccessGuard } from './http/access.guard.js';
import { AccountsController } from './identity/accounts.controller.js';
import { ApiTokensController } from './identity/api-tokens.controller.js';
import { AuthController } from './identity/auth.controller.js';
import { OrganisationsController } from './identity/organisations.controller.js';
import { LedgerController } from './ledger/ledger.controller.js';
import { LedgerHeartbeat } from './ledger/ledger-heartbeat.js';

export const ENTITIES = [...IDENTITY_ENTITIES];

/** solc-js is loaded only when a chain needs a first deployment: it is large and slow to start. */
const anchorBytecode: AnchorBytecodeSource = async () => {
  const { loadProvenanceAnchorArtifact } = await import('../../../contracts/build.js');
  return (await loadProvenanceAnchorArtifact()).bytecode;
};

/** Config and clock for every module; a test passes its own clock to move time. */
export function coreModule(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
  return {
    module: class CoreModule {},
    global: true,
    providers: [
      { provide: APP_CONFIG, useValue: config },
      { provide: Clock, useValue: clock },
      { provide: SecretBox, useFactory: () => loadSecretBox(config) },
    ],
    exports: [APP_CONFIG, Clock, SecretBox],
  };
}

/** The domain without HTTP: what the API serves and what the CLI's bootstrap commands run. */
export function domainModules(config: AppConfig, clock?: Clock): DynamicModule[] {
  return [
    coreModule(config, clock),
    DatabaseModule.forRoot(ENTITIES),
    LedgerModule.forRoot({ anchorBytecode }),
    JobsModule.forRoot(),
    IdentityModule as never,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: domainModules(config, clock),
      controllers: [
        HealthController,
        AuthController,
        OrganisationsController,
        ApiTokensController,
        AccountsController,
        LedgerController,
      ],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }, LedgerHeartbeat],
    };
  }
}
