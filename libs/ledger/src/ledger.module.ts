import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import { APP_CONFIG, ConfigError, SecretBox, type AppConfig } from '@app/core';
import { DatabaseModule } from '@app/database';
import { AnchoringService } from './anchoring.service.js';
import { LedgerAccessLog } from './ledger-access-log.js';
import { LedgerAuditService } from './ledger-audit.service.js';
import { LedgerReader } from './ledger-reader.js';
import { LedgerRecorder } from './ledger-recorder.js';
import { loadLedgerKey } from './signing/ledger-key.js';
import { LEDGER_KEY, TreeHeadService } from './tree-head.service.js';

const SERVICES = [
  LedgerRecorder,
  LedgerReader,
  TreeHeadService,
  LedgerAuditService,
  AnchoringService,
  LedgerAccessLog,
];

@Module({
  imports: [DatabaseModule],
  providers: [
    ...SERVICES,
    {
      provide: LEDGER_KEY,
      inject: [APP_CONFIG, SecretBox],
      useFactory: (config: AppConfig, box: SecretBox) => loadLedgerKey(config, box),
    },
  ],
  exports: [...SERVICES, LEDGER_KEY],
})
export class LedgerModule implements OnModuleInit {
  constructor(
    @Inject(MikroORM) private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A ledger keeps the hash it was started with: every stored node depends on it. */
  async onModuleInit(): Promise<void> {
    const connection = this.orm.em.getConnection() as AbstractSqlConnection;
    await connection.execute(
      'update "ledger_state" set "hash_algorithm" = ? where "id" = 1 and "hash_algorithm" is null',
      [this.config.ledgerHash],
    );
    const [state] = await connection.execute<{ hash_algorithm: string }[]>(
      'select "hash_algorithm" from "ledger_state" where "id" = 1',
    );
    if (state?.hash_algorithm !== this.config.ledgerHash) {
      throw new ConfigError(
        'LEDGER_HASH',
        `this ledger was built with ${state?.hash_algorithm}; it cannot change`,
      );
    }
  }
}
