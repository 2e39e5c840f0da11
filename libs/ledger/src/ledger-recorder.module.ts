import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { APP_CONFIG, ConfigError, type AppConfig } from '@app/core';
import { DatabaseModule } from '@app/database';
import { LedgerRecorder } from './ledger-recorder.js';
import { LedgerStore } from './ledger-store.js';

/**
 * Only what appends entries: `LedgerRecorder` and `LedgerStore`, with no ledger signing key and no `SecretBox`. The
 * sandbox worker records its steps with it; signing heads stays with the API (`LedgerModule`).
 */
@Module({
  imports: [DatabaseModule],
  providers: [
    LedgerRecorder,
    { provide: LedgerStore, inject: [MikroORM], useFactory: (orm: MikroORM) => LedgerStore.of(orm) },
  ],
  exports: [LedgerRecorder, LedgerStore],
})
export class LedgerRecorderModule implements OnModuleInit {
  constructor(
    private readonly store: LedgerStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Entries are hashed with the ledger's algorithm: a process configured with another refuses to start. */
  async onModuleInit(): Promise<void> {
    const built = await this.store.claimHashAlgorithm(this.config.ledgerHash);
    if (built !== this.config.ledgerHash) {
      throw new ConfigError('LEDGER_HASH', `this ledger was built with ${built}; it cannot change`);
    }
  }
}
