import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, Clock, SystemClock, type AppConfig } from '@app/core';
import { DatabaseModule } from '@app/database';
import { IDENTITY_ENTITIES, IdentityModule } from '@app/identity';
import { JobsModule } from '@app/jobs';
import { LedgerModule } from '@app/ledger';
import { ChainStatus } from './health/chain-status.js';
import { HealthController } from './health/health.controller.js';
import { AccessGuard } from './http/access.guard.js';
import { ApiTokensController } from './identity/api-tokens.controller.js';
import { AuthController } from './identity/auth.controller.js';
import { OrganisationsController } from './identity/organisations.controller.js';

export const ENTITIES = [...IDENTITY_ENTITIES];

/** Config and clock for every module; a test passes its own clock to move time. */
export function coreModule(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
  return {
    module: class CoreModule {},
    global: true,
    providers: [
      { provide: APP_CONFIG, useValue: config },
      { provide: Clock, useValue: clock },
    ],
    exports: [APP_CONFIG, Clock],
  };
}

/** The domain without HTTP: what the API serves and what the CLI's bootstrap commands run. */
export function domainModules(config: AppConfig, clock?: Clock): DynamicModule[] {
  return [
    coreModule(config, clock),
    DatabaseModule.forRoot(ENTITIES),
    LedgerModule as never,
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
      controllers: [HealthController, AuthController, OrganisationsController, ApiTokensController],
      providers: [ChainStatus, { provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
