import { ComplaintSchema } from './complaint.entity.js';
import { DestroyedBlobSchema, DestructionSchema } from './destruction.entity.js';
import { IncidentNoticeSchema, IncidentSchema } from './incident.entity.js';
import { RiskReportSchema } from './risk-report.entity.js';

export * from './complaint.entity.js';
export * from './destruction.entity.js';
export * from './incident.entity.js';
export * from './risk-report.entity.js';

export const OVERSIGHT_ENTITIES = [
  IncidentSchema,
  IncidentNoticeSchema,
  RiskReportSchema,
  DestructionSchema,
  DestroyedBlobSchema,
  ComplaintSchema,
];
