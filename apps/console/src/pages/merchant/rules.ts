// The server's rules, run in the browser while the merchant types: the same pure functions of `@app/compliance`
// the API enforces (DS 21 表1, DE 31, DE 27, DE 35, DS 58/59, DE 41), so what the form shows is what the API decides.
import {
  OPEN_ATTRIBUTES,
  checkDeclaredLevel,
  checkListingShape,
  checkPrice,
  checkRightShares,
  checkShareAttribute,
  classify,
  combinedProtection,
  allowance,
  loosestOpenAttribute,
  type AffectedObject,
  type Classification,
  type ColumnSensitivity,
  type DataKind,
  type DataLevel,
  type Decision,
  type DeliveryMode,
  type Harm,
  type ListedAsset,
  type OpenAttribute,
  type PricingBand,
  type PricingMode,
  type ShareAttribute,
} from '@app/compliance';

export type Refusal = Extract<Decision, { allowed: false }>;

/** What the registration form shows beside the fields: the level (表1) and the open attributes DE 31 allows. */
export interface AssetAssessment {
  computed: Classification;
  /** The level the asset will be protected at: the declared one when stricter, else 表1's. */
  level: DataLevel;
  /** The loosest open attribute the data allows, and every attribute the merchant may still pick. */
  loosest: ReturnType<typeof loosestOpenAttribute>;
  allowedOpenAttributes: OpenAttribute[];
  /** The first rule the current input breaks (declared level, open attribute, share attribute, rights), if any. */
  refusal: Refusal | null;
}

export interface AssessInput {
  affectedObject: AffectedObject;
  harm: Harm;
  declaredLevel: DataLevel | null;
  dataKind: DataKind;
  columns: readonly ColumnSensitivity[];
  openAttribute: OpenAttribute | null;
  shareAttribute: ShareAttribute | null;
  rights: readonly {
    right: 'holding' | 'processing' | 'operation';
    organisationId: string;
    shareBasisPoints: number;
  }[];
}

const refusalOf = (decision: Decision): Refusal | null => (decision.allowed ? null : decision);

/** `assessInput` of libs/assets, without its Node-only parts (the hash), on what the form holds so far. */
export function assessAsset(input: AssessInput): AssetAssessment {
  const computed = classify(input.affectedObject, input.harm);
  const loosest = loosestOpenAttribute(input.dataKind, input.columns);
  const from = OPEN_ATTRIBUTES.indexOf(loosest.attribute);
  const allowedOpenAttributes = OPEN_ATTRIBUTES.filter((_, i) => i >= from);
  const decisions: Decision[] = [];
  if (input.declaredLevel) decisions.push(checkDeclaredLevel(input.declaredLevel, computed));
  if (input.openAttribute && !allowedOpenAttributes.includes(input.openAttribute)) {
    decisions.push({
      allowed: false,
      article: 'DE 31',
      code: 'open_attribute_too_loose',
      reason: `open attribute ${input.openAttribute} is looser than DE 31 allows`,
    });
  }
  decisions.push(checkShareAttribute(input.dataKind, input.shareAttribute));
  decisions.push(checkRightShares(input.rights));
  const refusal = decisions.map(refusalOf).find((r) => r !== null) ?? null;
  const declaredStricter =
    input.declaredLevel !== null && refusalOf(checkDeclaredLevel(input.declaredLevel, computed)) === null;
  return {
    computed,
    level: declaredStricter && input.declaredLevel ? input.declaredLevel : computed.level,
    loosest,
    allowedOpenAttributes,
    refusal,
  };
}

export const NUMERIC_COLUMN_TYPES = ['integer', 'decimal'];
/** DS 58: the row minimum k a compute-only listing sets at least. */
export { MIN_ROWS_FLOOR as MIN_ROWS } from '@app/compliance';

/** What applies to a listing over these assets, before anything is sent: level, open attribute, allowed delivery. */
export function listingRules(assets: readonly ListedAsset[]) {
  if (assets.length === 0) return null;
  const { level, openAttribute } = combinedProtection(assets);
  return { level, openAttribute, allowance: allowance(level, openAttribute) };
}

export interface ListingDraft {
  assets: readonly ListedAsset[];
  delivery: DeliveryMode;
  recipes: readonly { recipe: string; columns: readonly string[] }[];
  minRows: number | null;
  mode: PricingMode;
  priceFen: bigint | null;
  band: PricingBand | null;
}

/** The first refusal of the listing's shape (DS 59, DS 58, DE 31) and of its price (DE 41), or null. */
export function checkListingDraft(draft: ListingDraft): { shape: Refusal | null; price: Refusal | null } {
  const shape =
    draft.assets.length === 0
      ? null
      : refusalOf(
          checkListingShape({
            assets: draft.assets,
            delivery: draft.delivery,
            recipeCount: draft.recipes.length,
            minRows: draft.minRows,
          }),
        );
  const price =
    draft.priceFen === null || draft.assets.length === 0
      ? null
      : refusalOf(
          checkPrice({
            mode: draft.mode,
            priceFen: draft.priceFen,
            dataKinds: draft.assets.map((a) => a.dataKind),
            band: draft.mode === 'guided' ? draft.band : null,
          }),
        );
  return { shape, price };
}
