import { Injectable } from '@nestjs/common';
import { ComputationService } from '@app/compute';
import { Heartbeat } from '../timers/heartbeat.js';

/** How often the API looks for computations whose enqueue failed after their commit. */
export const COMPUTATION_SWEEP_SECONDS = 60;

/**
 * Re-enqueues computations left `queued` for over a minute (the enqueue after the commit failed, e.g. Redis was
 * down). The job id is deterministic, so a job still on the queue is not run twice; several API processes sweeping
 * is harmless.
 */
@Injectable()
export class ComputationHeartbeat extends Heartbeat {
  constructor(private readonly computations: ComputationService) {
    super('computations');
  }

  protected get intervalSeconds(): number {
    return COMPUTATION_SWEEP_SECONDS;
  }

  protected async beat(): Promise<void> {
    const report = await this.computations.requeueStale();
    if (report.failed > 0)
      this.logger.warn(`${report.failed} queued computation(s) could not be enqueued yet`);
  }
}
