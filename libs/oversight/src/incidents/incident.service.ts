import { Injectable } from '@nestjs/common';
import type { IncidentLevel } from '@app/compliance';

/** An incident whose DS 16 closing summary is past due. */
export interface OverdueSummary {
  incidentId: string;
  organisationId: string;
  title: string;
  level: IncidentLevel;
  reportedAt: Date;
  summaryDueAt: Date;
}

/** Security incidents (DS 12, 15, 16, 18) (stand-in: the helper who owns this folder replaces it). */
@Injectable()
export class IncidentService {
  /** Flags, once each, the closing summaries past due at `now` (DS 16); returns how many it flagged. */
  flagOverdue(_now: Date): Promise<number> {
    return Promise.resolve(0);
  }

  /** Every incident whose closing summary is past due at `now` and not given, oldest due first. */
  overdueSummaries(_now: Date): Promise<OverdueSummary[]> {
    return Promise.resolve([]);
  }
}
