import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/core';
import { AnchoringService, TreeHeadService } from '@app/ledger';

/** Signs a head when the ledger grew and anchors it when due, at start and then every LEDGER_HEAD_INTERVAL_SECONDS. */
@Injectable()
export class LedgerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ledger');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly heads: TreeHeadService,
    private readonly anchoring: AnchoringService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.ledger.headIntervalSeconds * 1000);
    this.timer.unref();
  }

  /** One beat at a time: a slow chain must not pile beats up. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        await this.anchoring.anchorIfDue(await this.heads.current());
      } catch (error) {
        this.logger.warn(`ledger heartbeat: ${(error as Error).message}`);
      }
    });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.anchoring.close();
  }
}
