import { allow, refuse, type Decision } from './decision.js';

export const DATA_LEVELS = ['general', 'important', 'core'] as const;
export type DataLevel = (typeof DATA_LEVELS)[number];

export const AFFECTED_OBJECTS = [
  'national-security',
  'economic-operation',
  'social-order',
  'public-interest',
  'rights',
] as const;
export type AffectedObject = (typeof AFFECTED_OBJECTS)[number];

export const HARMS = ['especially-serious', 'serious', 'general'] as const;
export type Harm = (typeof HARMS)[number];

/** DS 21 表1: the level follows from the most affected object and the degree of harm. */
export const LEVEL_TABLE: Readonly<Record<AffectedObject, Readonly<Record<Harm, DataLevel>>>> = {
  'national-security': { 'especially-serious': 'core', serious: 'core', general: 'important' },
  'economic-operation': { 'especially-serious': 'core', serious: 'important', general: 'general' },
  'social-order': { 'especially-serious': 'core', serious: 'important', general: 'general' },
  'public-interest': { 'especially-serious': 'core', serious: 'important', general: 'general' },
  rights: { 'especially-serious': 'general', serious: 'general', general: 'general' },
};

const OBJECT_NAMES: Record<AffectedObject, string> = {
  'national-security': '国家安全 (national security)',
  'economic-operation': '经济运行 (economic operation)',
  'social-order': '社会秩序 (social order)',
  'public-interest': '公共利益 (public interest)',
  rights: '组织、个人合法权益 (rights of organisations or individuals)',
};
const HARM_NAMES: Record<Harm, string> = {
  'especially-serious': '特别严重危害 (especially serious harm)',
  serious: '严重危害 (serious harm)',
  general: '一般危害 (general harm)',
};

export interface Classification {
  level: DataLevel;
  article: 'DS 21';
  justification: string;
}

/** DS 21 表1. Precondition: both inputs are members of their enumerations. */
export function classify(affectedObject: AffectedObject, harm: Harm): Classification {
  const level = LEVEL_TABLE[affectedObject][harm];
  return {
    level,
    article: 'DS 21',
    justification: `DS 21 表1: ${HARM_NAMES[harm]} to ${OBJECT_NAMES[affectedObject]} makes ${level} data`,
  };
}

export const levelRank = (level: DataLevel): number => DATA_LEVELS.indexOf(level);

/** DS 29: data of several levels processed together is protected at the highest. Precondition: non-empty. */
export function highestLevel(levels: readonly DataLevel[]): { level: DataLevel; article: 'DS 29' } {
  if (levels.length === 0) throw new RangeError('highestLevel needs at least one level');
  const level = levels.reduce((a, b) => (levelRank(b) > levelRank(a) ? b : a));
  return { level, article: 'DS 29' };
}

/** A merchant may declare a stricter level than 表1 gives, never a looser one. */
export function checkDeclaredLevel(declared: DataLevel, computed: Classification): Decision {
  if (levelRank(declared) < levelRank(computed.level)) {
    return refuse(
      'DS 21',
      'level_below_classification',
      `declared level ${declared} is below the ${computed.level} that ${computed.justification.replace('DS 21 表1: ', '')}`,
    );
  }
  return allow('DS 21', `declared ${declared}; ${computed.justification}`);
}
