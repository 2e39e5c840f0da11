import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { DestructionService, IncidentService } from '@app/oversight';
import { Heartbeat } from '../timers/heartbeat.js';

/** How often the platform looks for overdue incident summaries and bytes a destruction still has to remove. */
export const OVERSIGHT_SWEEP_SECONDS = 60;

/**
 * The oversight side's clock work, at start and then every OVERSIGHT_SWEEP_SECONDS: closing summaries past their
 * DS 16 week are flagged overdue (once each, on the ledger), and the bytes of executed destructions that a crash
 * left stored are removed. Both are idempotent, so two API processes sweeping is harmless.
 */
@Injectable()
export class OversightHeartbeat extends Heartbeat {
  constructor(
    private readonly incidents: IncidentService,
    private readonly destructions: DestructionService,
    private readonly clock: Clock,
  ) {
    super('oversight');
  }

  protected get intervalSeconds(): number {
    return OVERSIGHT_SWEEP_SECONDS;
  }

  protected async beat(): Promise<void> {
    const flagged = await this.incidents.flagOverdue(this.clock.now());
    if (flagged > 0) this.logger.log(`oversight sweep: ${flagged} incident summary(ies) flagged overdue`);
    await this.destructions.sweep();
  }
}
