import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { ContractDeliveryService, NegotiationService } from '@app/trading';
import { Heartbeat } from '../timers/heartbeat.js';

/** How often the platform looks for delivery timeouts, period ends and expired offers. */
export const TRADING_SWEEP_SECONDS = 60;

/**
 * The trading side's clock work, at start and then every TRADING_SWEEP_SECONDS: escrows whose delivery timeout
 * passed are released as if confirmed, contracts past their period end, and negotiations whose latest offer
 * expired. Each step is idempotent, so two API processes sweeping is harmless.
 */
@Injectable()
export class TradingHeartbeat extends Heartbeat {
  constructor(
    private readonly delivery: ContractDeliveryService,
    private readonly negotiations: NegotiationService,
    private readonly clock: Clock,
  ) {
    super('trading');
  }

  protected get intervalSeconds(): number {
    return TRADING_SWEEP_SECONDS;
  }

  protected async beat(): Promise<void> {
    const now = this.clock.now();
    await this.negotiations.expireOffers(now);
    const report = await this.delivery.sweep(now);
    if (report.failed > 0)
      this.logger.warn(`trading sweep: ${report.failed} contract(s) failed, retried next beat`);
  }
}
