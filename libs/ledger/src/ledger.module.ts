import { Global, Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import { APP_CONFIG, ConfigError, SecretBox, type AppConfig } from '@app/core';
import { ANCHOR_BYTECODE, AnchoringService, type AnchorBytecodeSource } from './anchoring.service.js';
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

@Global()
@Module({
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
  /** `anchorBytecode` lets the exchange deploy its anchor contract on a chain that has none yet. */
  static forRoot(options: { anchorBytecode?: AnchorBytecodeSource } = {}): DynamicModule {
    return {
      module: LedgerModule,
      providers: options.anchorBytecode
        ? [{ provide: ANCHOR_BYTECODE, useValue: options.anchorBytecode }]
        : [],
    };
  }

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
