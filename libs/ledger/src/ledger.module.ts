import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { APP_CONFIG, ConfigError, SecretBox, type AppConfig } from '@app/core';
import { DatabaseModule } from '@app/database';
import { AnchoringService } from './anchoring.service.js';
import { LedgerAccessLog } from './ledger-access-log.js';
import { LedgerAuditService } from './ledger-audit.service.js';
import { LedgerRecorder } from './ledger-recorder.js';
import { LedgerStore } from './ledger-store.js';
import { PartyLedgerService } from './party-ledger.service.js';
import { loadLedgerKey } from './signing/ledger-key.js';
import { LEDGER_KEY, TreeHeadService } from './tree-head.service.js';

const SERVICES = [
  LedgerRecorder,
  TreeHeadService,
  LedgerAuditService,
  AnchoringService,
  LedgerAccessLog,
  PartyLedgerService,
];

@Module({
  imports: [DatabaseModule],
  providers: [
    ...SERVICES,
    { provide: LedgerStore, inject: [MikroORM], useFactory: (orm: MikroORM) => LedgerStore.of(orm) },
    {
      provide: LEDGER_KEY,
      inject: [APP_CONFIG, SecretBox],
      useFactory: (config: AppConfig, box: SecretBox) => loadLedgerKey(config, box),
    },
  ],
  exports: [...SERVICES, LedgerStore, LEDGER_KEY],
})
export class LedgerModule implements OnModuleInit {
  constructor(
    private readonly store: LedgerStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A ledger keeps the hash it was started with: every stored node depends on it. */
  async onModuleInit(): Promise<void> {
    const built = await this.store.claimHashAlgorithm(this.config.ledgerHash);
    if (built !== this.config.ledgerHash) {
      throw new ConfigError('LEDGER_HASH', `this ledger was built with ${built}; it cannot change`);
    }
  }
}
