import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { AnchoringService, TreeHeadService } from '@app/ledger';
import { Heartbeat } from '../timers/heartbeat.js';

/** Signs a head when the ledger grew and anchors it when due, at start and then every LEDGER_HEAD_INTERVAL_SECONDS. */
@Injectable()
export class LedgerHeartbeat extends Heartbeat {
  constructor(
    private readonly heads: TreeHeadService,
    private readonly anchoring: AnchoringService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super('ledger');
  }

  protected get intervalSeconds(): number {
    return this.config.ledger.headIntervalSeconds;
  }

  protected async beat(): Promise<void> {
    await this.anchoring.anchorIfDue(await this.heads.current());
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    await this.anchoring.close();
  }
}
