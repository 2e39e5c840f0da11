import type { DataLevel } from './classification.js';

/** The importance of an incident's affected object (事件影响对象的重要程度, DS 12 表2/表3). */
export const INCIDENT_IMPORTANCES = ['especially-important', 'important', 'general'] as const;
export type IncidentImportance = (typeof INCIDENT_IMPORTANCES)[number];

/** The severity of the business loss (表2) or of the social harm (表3): 特别严重, 严重, 较大, 较小. */
export const INCIDENT_SEVERITIES = ['especially-serious', 'serious', 'larger', 'smaller'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** 一级 (1, most severe) … 四级 (4). */
export const INCIDENT_LEVELS = [1, 2, 3, 4] as const;
export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];

/** DS 12 表2: 数据安全事件级别与业务损失的严重程度的关系. Every combination has a level. */
export const BUSINESS_LOSS_TABLE: Readonly<
  Record<IncidentImportance, Readonly<Record<IncidentSeverity, IncidentLevel>>>
> = {
  'especially-important': { 'especially-serious': 1, serious: 2, larger: 3, smaller: 3 },
  important: { 'especially-serious': 2, serious: 3, larger: 3, smaller: 4 },
  general: { 'especially-serious': 3, serious: 3, larger: 3, smaller: 4 },
};

/**
 * DS 12 表3: 数据安全事件级别与社会危害的严重程度关系. `null` is the table's '/': a combination it does not allow
 * (especially important data cannot cause only a smaller social harm; important data cannot cause an especially
 * serious one; general data neither an especially serious nor a serious one).
 */
export const SOCIAL_HARM_TABLE: Readonly<
  Record<IncidentImportance, Readonly<Record<IncidentSeverity, IncidentLevel | null>>>
> = {
  'especially-important': { 'especially-serious': 1, serious: 2, larger: 3, smaller: null },
  important: { 'especially-serious': null, serious: 2, larger: 3, smaller: 4 },
  general: { 'especially-serious': null, serious: null, larger: 3, smaller: 4 },
};

const IMPORTANCE_NAMES: Record<IncidentImportance, string> = {
  'especially-important': '特别重要 (especially important)',
  important: '重要 (important)',
  general: '一般 (general)',
};
const SEVERITY_NAMES: Record<IncidentSeverity, string> = {
  'especially-serious': '特别严重 (especially serious)',
  serious: '严重 (serious)',
  larger: '较大 (larger)',
  smaller: '较小 (smaller)',
};
export const LEVEL_NAMES: Record<IncidentLevel, string> = {
  1: '一级 (level 1)',
  2: '二级 (level 2)',
  3: '三级 (level 3)',
  4: '四级 (level 4)',
};

/** The importance of an incident's object that follows from the data it touched: core → especially important. */
export const IMPORTANCE_OF_LEVEL: Readonly<Record<DataLevel, IncidentImportance>> = {
  core: 'especially-important',
  important: 'important',
  general: 'general',
};

/** 0 is the least important; a larger rank is more important. */
export const importanceRank = (importance: IncidentImportance): number =>
  INCIDENT_IMPORTANCES.length - 1 - INCIDENT_IMPORTANCES.indexOf(importance);

export interface IncidentGrading {
  level: IncidentLevel;
  /** Which table gave the level that stands (both when they agree). */
  decidedBy: '表2' | '表3' | 'both';
  byBusinessLoss: IncidentLevel;
  bySocialHarm: IncidentLevel;
  article: 'DS 12';
  justification: string;
}

export type IncidentGradingResult =
  | ({ ok: true } & IncidentGrading)
  | { ok: false; article: 'DS 12'; code: 'impossible_incident_combination'; table: '表3'; reason: string };

/**
 * DS 12: grades an incident from its object's importance and, separately, the business loss (表2) and the social
 * harm (表3); the more severe level (the smaller number) stands. A '/' cell of 表3 is refused as impossible, naming
 * the table. Precondition: the three inputs are members of their enumerations.
 */
export function gradeIncident(
  importance: IncidentImportance,
  businessLoss: IncidentSeverity,
  socialHarm: IncidentSeverity,
): IncidentGradingResult {
  const byBusinessLoss = BUSINESS_LOSS_TABLE[importance][businessLoss];
  const bySocialHarm = SOCIAL_HARM_TABLE[importance][socialHarm];
  if (bySocialHarm === null) {
    return {
      ok: false,
      article: 'DS 12',
      code: 'impossible_incident_combination',
      table: '表3',
      reason:
        `DS 12 表3 has no level for ${SEVERITY_NAMES[socialHarm]} social harm to an object that is ` +
        `${IMPORTANCE_NAMES[importance]} (the table marks it '/'): check the importance and the social harm`,
    };
  }
  const level = Math.min(byBusinessLoss, bySocialHarm) as IncidentLevel;
  const decidedBy = byBusinessLoss === bySocialHarm ? 'both' : byBusinessLoss < bySocialHarm ? '表2' : '表3';
  return {
    ok: true,
    level,
    decidedBy,
    byBusinessLoss,
    bySocialHarm,
    article: 'DS 12',
    justification:
      `DS 12: ${IMPORTANCE_NAMES[importance]} object; 表2 gives ${LEVEL_NAMES[byBusinessLoss]} for ` +
      `${SEVERITY_NAMES[businessLoss]} business loss, 表3 gives ${LEVEL_NAMES[bySocialHarm]} for ` +
      `${SEVERITY_NAMES[socialHarm]} social harm; the more severe, ${LEVEL_NAMES[level]}, stands`,
  };
}

/** DS 15: a level 3 (较大) incident or a more severe one goes to the regulators at once. */
export const reportableToRegulator = (level: IncidentLevel): boolean => level <= 3;

/**
 * DS 16: an incident touching important or core data is reported at once and closed with a summary report within a
 * week of its handling.
 */
export const needsClosingSummary = (importance: IncidentImportance): boolean => importance !== 'general';
