import { Injectable } from '@nestjs/common';

/** A holder of important or core data whose yearly risk report (DS 63) is past due. */
export interface OverdueHolder {
  organisationId: string;
  organisationName: string;
  /** Its latest report, or null when it never filed one. */
  lastFiledAt: Date | null;
  dueAt: Date;
  /** How many important or core assets its catalogue lists (DS 22). */
  importantAssets: number;
}

/** Risk assessment reports (DS 60, 63, 65) (stand-in: the helper who owns this folder replaces it). */
@Injectable()
export class RiskReportService {
  /** The holders of important or core data whose next report was due before `now`, most overdue first. */
  overdue(_now: Date): Promise<OverdueHolder[]> {
    return Promise.resolve([]);
  }
}
