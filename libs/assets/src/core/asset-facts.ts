import type {
  AffectedObject,
  DataKind,
  DataLevel,
  DataRight,
  Harm,
  OpenAttribute,
  ShareAttribute,
} from '@app/compliance';

export const COLUMN_TYPES = ['integer', 'decimal', 'text', 'date', 'boolean'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface AssetColumn {
  name: string;
  type: ColumnType;
  unit: string | null;
  personalInformation: boolean;
  tradeSecret: boolean;
  /** The merchant declares the column public for filtering in the catalogue. */
  public: boolean;
}

/** Exactly the fields of a column, whatever else the source object carries (a DTO, a stored row, a parsed file). */
export const toAssetColumn = (c: Omit<AssetColumn, 'unit'> & { unit?: string | null }): AssetColumn => ({
  name: c.name,
  type: c.type,
  unit: c.unit ?? null,
  personalInformation: c.personalInformation,
  tradeSecret: c.tradeSecret,
  public: c.public,
});

export interface RightHolding {
  right: DataRight;
  organisationId: string;
  /** The holder's name when the facts were recorded, for people reading the certificate. */
  name: string;
  shareBasisPoints: number;
}

/**
 * What registration records of an asset and a certificate attests: everything the issue lists, as plain JSON
 * values (no undefined, no bigint), so RFC 8785 canonicalisation and its hash are defined.
 */
export interface AssetFacts {
  title: string;
  description: string;
  registrant: { id: string; name: string };
  industry: string;
  dataKind: DataKind;
  source: { method: string; description: string };
  columns: AssetColumn[];
  rowCount: number;
  updateFrequency: UpdateFrequency;
  timeRange: { start: string; end: string };
  classification: {
    affectedObject: AffectedObject;
    harm: Harm;
    /** The level the asset is protected at: the declared one when stricter, else the computed one. */
    level: DataLevel;
    computedLevel: DataLevel;
    declaredLevel: DataLevel | null;
    justification: string;
  };
  openAttribute: OpenAttribute;
  shareAttribute: ShareAttribute | null;
  rights: RightHolding[];
}

const RIGHT_ORDER: Record<DataRight, number> = { holding: 0, processing: 1, operation: 2 };

/** Rights in one order (right, then holder id): the same holdings always give the same facts hash. */
export function sortRights<R extends { right: DataRight; organisationId: string }>(
  rights: readonly R[],
): R[] {
  return [...rights].sort(
    (a, b) =>
      RIGHT_ORDER[a.right] - RIGHT_ORDER[b.right] ||
      (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0),
  );
}

/** Holders per right, as listings read them. */
export function holdersByRight(rights: readonly { right: DataRight; organisationId: string }[]): {
  holding: string[];
  processing: string[];
  operation: string[];
} {
  const pick = (right: DataRight) => rights.filter((r) => r.right === right).map((r) => r.organisationId);
  return { holding: pick('holding'), processing: pick('processing'), operation: pick('operation') };
}

export const UPDATE_FREQUENCIES = [
  'real-time',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'irregular',
  'static',
] as const;
export type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];
