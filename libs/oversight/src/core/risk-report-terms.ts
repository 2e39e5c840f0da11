/** Who assessed a yearly risk report (DS 65): the holder itself or a third-party assessor. */
export const ASSESSOR_KINDS = ['self', 'third-party'] as const;
export type AssessorKind = (typeof ASSESSOR_KINDS)[number];
/** How effective a measure against a risk is (DS 60). */
export const RISK_EFFECTIVENESS = ['effective', 'partly-effective', 'ineffective', 'not-assessed'] as const;
export const MAX_IMPORTANT_DATA_LINES = 500;
export const MAX_RISK_LINES = 200;
