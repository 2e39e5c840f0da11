import { OPEN_ATTRIBUTES, type DataKind, type OpenAttribute } from './attributes.js';
import { highestLevel, type DataLevel } from './classification.js';
import { allow, firstRefusal, refuse, type Decision } from './decision.js';

export const DELIVERY_MODES = ['compute', 'file'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** The smallest row minimum k a compute-only listing may set: fewer rows would let an aggregate single people out. */
export const MIN_ROWS_FLOOR = 10;

/** What a level and an open attribute allow, each with the article that says so. */
export interface LevelAllowance {
  listable: { allowed: boolean; article: string };
  deliveryModes: { modes: DeliveryMode[]; article: string };
  securityReviewBeforeListing: { required: boolean; article: string };
  securityAgreementInContract: { required: boolean; article: string };
  crossBorder: { allowed: boolean; article: string };
  purposeInContract: { required: boolean; article: string };
}

/** DS 21, 26, 35, 38, 58, 59 and DE 31 as one table lookup. */
export function allowance(level: DataLevel, open: OpenAttribute): LevelAllowance {
  return {
    listable: { allowed: level !== 'core', article: 'DS 59' },
    deliveryModes:
      open === 'unconditional'
        ? { modes: ['compute', 'file'], article: 'DE 31' }
        : { modes: ['compute'], article: open === 'not-open' ? 'DS 58' : 'DE 31' },
    securityReviewBeforeListing: { required: level !== 'general', article: 'DS 26' },
    securityAgreementInContract: { required: level !== 'general', article: 'DS 35' },
    crossBorder: { allowed: level === 'general', article: 'DS 38' },
    purposeInContract: { required: open !== 'unconditional', article: 'DE 31' },
  };
}

/** DE 31 across assets: the strictest open attribute of those combined. Precondition: non-empty. */
export function strictestOpenAttribute(attributes: readonly OpenAttribute[]): OpenAttribute {
  if (attributes.length === 0) throw new RangeError('strictestOpenAttribute needs at least one attribute');
  return attributes.reduce((a, b) => (OPEN_ATTRIBUTES.indexOf(b) > OPEN_ATTRIBUTES.indexOf(a) ? b : a));
}

/** What a listing's compliance check needs to know of each asset it is built from. */
export interface ListedAsset {
  level: DataLevel;
  openAttribute: OpenAttribute;
  dataKind: DataKind;
}

export interface ListingShape {
  assets: readonly ListedAsset[];
  delivery: DeliveryMode;
  /** Recipes a compute listing allows; empty for a file listing. */
  recipeCount: number;
  minRows: number | null;
}

/** The listing's level (DS 29) and open attribute (DE 31) from its assets. Precondition: at least one asset. */
export function combinedProtection(assets: readonly ListedAsset[]): {
  level: DataLevel;
  openAttribute: OpenAttribute;
} {
  return {
    level: highestLevel(assets.map((a) => a.level)).level,
    openAttribute: strictestOpenAttribute(assets.map((a) => a.openAttribute)),
  };
}

/**
 * Whether a listing of this shape may exist: never core data (DS 59), file delivery only of unconditional data
 * (DS 58 for not-open, DE 31 for conditional), and a compute listing names its recipes and a row minimum of at
 * least 10 (DS 58: usable, not visible, which a tiny aggregate would defeat).
 */
export function checkListingShape(shape: ListingShape): Decision {
  if (shape.assets.length === 0)
    return refuse('DE 42', 'no_assets', 'a listing is built from at least one registered asset');
  const { level, openAttribute } = combinedProtection(shape.assets);
  const rules = allowance(level, openAttribute);
  const refusal = firstRefusal([
    rules.listable.allowed
      ? allow('DS 59', `${level} data may be listed`)
      : refuse(
          'DS 59',
          'core_not_listable',
          'core data is never listed on the exchange (DS 59; level by DS 21 and DS 29)',
        ),
    rules.deliveryModes.modes.includes(shape.delivery)
      ? allow(rules.deliveryModes.article, `${shape.delivery} delivery of ${openAttribute} data`)
      : refuse(
          rules.deliveryModes.article,
          'delivery_not_allowed',
          `${openAttribute} data is offered compute-only (${rules.deliveryModes.article}): no file delivery`,
        ),
    shape.delivery === 'compute' && shape.recipeCount === 0
      ? refuse('DS 58', 'recipes_required', 'a compute-only listing names at least one recipe it allows')
      : allow('DS 58', 'recipes named'),
    shape.delivery === 'compute' && (shape.minRows === null || shape.minRows < MIN_ROWS_FLOOR)
      ? refuse(
          'DS 58',
          'min_rows_too_small',
          `a compute-only listing sets a row minimum k of at least ${MIN_ROWS_FLOOR}`,
        )
      : allow('DS 58', 'row minimum set'),
  ]);
  return refusal ?? allow('DS 29', `the listing is ${level} data, ${openAttribute}`);
}
