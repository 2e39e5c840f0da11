import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@app/core';
import { ContractDeliveryService, NegotiationService } from '@app/trading';

/** How often the platform looks for delivery timeouts, period ends and expired offers. */
export const TRADING_SWEEP_SECONDS = 60;

/**
 * The trading side's clock work, at start and then every TRADING_SWEEP_SECONDS: escrows whose delivery timeout
 * passed are released as if confirmed, contracts past their period end, and negotiations whose latest offer
 * expired. Each step is idempotent, so two API processes sweeping is harmless.
 */
@Injectable()
export class TradingHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('trading');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly delivery: ContractDeliveryService,
    private readonly negotiations: NegotiationService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), TRADING_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  /** One beat at a time: a slow sweep must not pile beats up. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      const now = this.clock.now();
      try {
        await this.negotiations.expireOffers(now);
        const report = await this.delivery.sweep(now);
        if (report.failed > 0)
          this.logger.warn(`trading sweep: ${report.failed} contract(s) failed, retried next beat`);
      } catch (error) {
        this.logger.warn(`trading heartbeat: ${(error as Error).message}`);
      }
    });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
