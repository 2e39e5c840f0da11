import { allow, refuse, type Decision } from './decision.js';

export const DATA_KINDS = ['public', 'enterprise', 'personal'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** Loosest first: the order DE 31 tightens in. */
export const OPEN_ATTRIBUTES = ['unconditional', 'conditional', 'not-open'] as const;
export type OpenAttribute = (typeof OPEN_ATTRIBUTES)[number];

export const SHARE_ATTRIBUTES = ['unconditional', 'conditional', 'not-shared'] as const;
export type ShareAttribute = (typeof SHARE_ATTRIBUTES)[number];

/** What DE 31 needs to know of a column. */
export interface ColumnSensitivity {
  name: string;
  personalInformation: boolean;
  tradeSecret: boolean;
}

const openRank = (attribute: OpenAttribute): number => OPEN_ATTRIBUTES.indexOf(attribute);

/**
 * DE 31: personal information, privacy and trade secrets (and, by the same rule, personal data as a whole) are
 * 不予开放. Returns the loosest open attribute the data allows and why.
 */
export function loosestOpenAttribute(
  dataKind: DataKind,
  columns: readonly ColumnSensitivity[],
): { attribute: OpenAttribute; article: 'DE 31'; reason: string } {
  const personal = columns.filter((c) => c.personalInformation).map((c) => c.name);
  const secret = columns.filter((c) => c.tradeSecret).map((c) => c.name);
  if (dataKind === 'personal') {
    return { attribute: 'not-open', article: 'DE 31', reason: 'personal data is personal information' };
  }
  if (personal.length > 0 || secret.length > 0) {
    const parts = [
      personal.length ? `personal information in ${personal.join(', ')}` : '',
      secret.length ? `trade secrets in ${secret.join(', ')}` : '',
    ].filter(Boolean);
    return { attribute: 'not-open', article: 'DE 31', reason: parts.join('; ') };
  }
  return { attribute: 'unconditional', article: 'DE 31', reason: 'no personal information or trade secret' };
}

/** DE 31: the declared open attribute may be stricter than the data allows, never looser. */
export function checkOpenAttribute(
  declared: OpenAttribute,
  dataKind: DataKind,
  columns: readonly ColumnSensitivity[],
): Decision {
  const loosest = loosestOpenAttribute(dataKind, columns);
  if (openRank(declared) < openRank(loosest.attribute)) {
    return refuse(
      'DE 31',
      'open_attribute_too_loose',
      `open attribute ${declared} is looser than DE 31 allows: ${loosest.reason} makes the data ${loosest.attribute}`,
    );
  }
  return allow('DE 31', `${declared}; ${loosest.reason}`);
}

/** DE 27, DS 47: public data carries a share attribute; other data has none. */
export function checkShareAttribute(dataKind: DataKind, share: ShareAttribute | null | undefined): Decision {
  if (dataKind === 'public' && !share) {
    return refuse('DE 27', 'share_attribute_required', 'public data needs a share attribute (DE 27, DS 47)');
  }
  if (dataKind !== 'public' && share) {
    return refuse(
      'DE 27',
      'share_attribute_not_applicable',
      `${dataKind} data has no share attribute; only public data does (DE 27, DS 47)`,
    );
  }
  return allow('DE 27', dataKind === 'public' ? `public data shared ${share}` : 'not public data');
}
