import type { OpenAttribute } from './attributes.js';
import { levelRank, type DataLevel } from './classification.js';
import { allow, firstRefusal, refuse, type Decision } from './decision.js';
import { allowance, type DeliveryMode } from './listing-policy.js';
import { checkPrice, type BillingUnit, type PricingBand, type PricingMode } from './pricing.js';
import type { DataKind } from './attributes.js';

/** What the trading rules need to know of a listing: its offer as published. */
export interface TradedListing {
  level: DataLevel;
  openAttribute: OpenAttribute;
  dataKinds: readonly DataKind[];
  delivery: DeliveryMode;
  pricingMode: PricingMode;
  billingUnits: readonly BillingUnit[];
  /** The recipes a compute listing allows and the columns each may touch; empty for a file listing. */
  recipes: readonly { recipe: string; columns: readonly string[] }[];
  /** The guided category's band the listing was approved under; null for the other modes. */
  band: PricingBand | null;
}

/** The terms of one negotiation version, as far as the rules are concerned (money in integer fen). */
export interface TradedTerms {
  purpose: string;
  columns: readonly string[];
  recipes: readonly string[];
  delivery: DeliveryMode;
  billingUnit: BillingUnit;
  priceFen: bigint;
  computations: number | null;
}

const list = (xs: readonly string[]): string => xs.join(', ');

/** Delivery: one the listing offers, and for data that is not unconditionally open compute only (DS 58, DE 31). */
function checkDelivery(listing: TradedListing, terms: TradedTerms): Decision {
  const modes = allowance(listing.level, listing.openAttribute).deliveryModes;
  if (!modes.modes.includes(terms.delivery)) {
    return refuse(
      modes.article,
      'delivery_not_allowed',
      `${listing.openAttribute} data is offered compute-only (${modes.article}): no ${terms.delivery} delivery`,
    );
  }
  if (terms.delivery !== listing.delivery) {
    return refuse(
      'DS 58',
      'delivery_not_offered',
      `the listing offers ${listing.delivery} delivery, not ${terms.delivery}`,
    );
  }
  return allow(modes.article, `${terms.delivery} delivery as the listing offers`);
}

/**
 * DS 35 minimum scope: a compute version names at least one recipe and one column, each recipe one the listing
 * allows and each column one that a requested recipe of the listing may touch; a file version names neither (the
 * file is the whole product).
 */
function checkScope(listing: TradedListing, terms: TradedTerms): Decision {
  if (terms.delivery === 'file') {
    if (terms.recipes.length > 0 || terms.columns.length > 0) {
      return refuse(
        'DS 35',
        'scope_not_applicable',
        'a file delivery names no recipes and no columns: the listing’s file is the whole scope',
      );
    }
    return allow('DS 35', 'the listing’s file');
  }
  if (terms.recipes.length === 0 || terms.columns.length === 0) {
    return refuse(
      'DS 35',
      'scope_required',
      'a compute contract names the recipes and the columns it needs (the minimum scope for its purpose)',
    );
  }
  const offered = new Map(listing.recipes.map((r) => [r.recipe, r.columns]));
  const unknownRecipes = terms.recipes.filter((r) => !offered.has(r));
  if (unknownRecipes.length > 0) {
    return refuse(
      'DS 35',
      'scope_beyond_listing',
      `recipe ${list(unknownRecipes)} is beyond the listing, which allows ${list([...offered.keys()])}`,
    );
  }
  const allowed = new Set(terms.recipes.flatMap((r) => offered.get(r) ?? []));
  const extraColumns = terms.columns.filter((c) => !allowed.has(c));
  if (extraColumns.length > 0) {
    return refuse(
      'DS 35',
      'scope_beyond_listing',
      `column ${list(extraColumns)} is beyond what the listing lets ${list(terms.recipes)} use (${list([...allowed])})`,
    );
  }
  return allow('DS 35', `recipes ${list(terms.recipes)} on ${list(terms.columns)}, within the listing`);
}

/** Method of transaction (DS 58): a billing unit the listing offers; per-computation names how many. */
function checkBilling(listing: TradedListing, terms: TradedTerms): Decision {
  if (!listing.billingUnits.includes(terms.billingUnit)) {
    return refuse(
      'DS 58',
      'billing_unit_not_offered',
      `the listing bills ${list(listing.billingUnits)}, not ${terms.billingUnit}`,
    );
  }
  if (terms.billingUnit === 'per-computation') {
    if (terms.computations === null || !Number.isSafeInteger(terms.computations) || terms.computations < 1) {
      return refuse(
        'DS 58',
        'computations_required',
        'per-computation billing names how many computations are bought',
      );
    }
  } else if (terms.computations !== null) {
    return refuse(
      'DS 58',
      'computations_not_applicable',
      `${terms.billingUnit} billing buys no number of computations`,
    );
  }
  return allow('DS 58', `${terms.billingUnit} billing as the listing offers`);
}

/**
 * DE 41: a guided price stays inside the band the listing was approved under; conditional free use is priced 0;
 * a market price is whatever the parties agree (a negotiation may move away from the list price), never negative.
 */
function checkTermsPrice(listing: TradedListing, terms: TradedTerms): Decision {
  if (listing.pricingMode === 'market') {
    return terms.priceFen < 0n
      ? refuse('DE 41', 'negative_price', 'a price is never negative')
      : allow('DE 41', 'market price agreed by the parties');
  }
  return checkPrice({
    mode: listing.pricingMode,
    priceFen: terms.priceFen,
    dataKinds: listing.dataKinds,
    band: listing.band,
  });
}

/**
 * The listing's rules, applied to every version of a negotiation: delivery (DS 58, DE 31), minimum scope (DS 35),
 * billing (DS 58), price (DE 41) and a stated purpose (DS 58). Returns the first refusal, or an allowance.
 * Precondition: the listing is one the catalogue accepted (its own shape already checked).
 */
export function checkTermsAgainstListing(listing: TradedListing, terms: TradedTerms): Decision {
  const refusal = firstRefusal([
    terms.purpose.trim().length === 0
      ? refuse('DS 58', 'purpose_required', 'the terms state the purpose the data is used for')
      : allow('DS 58', 'purpose stated'),
    checkDelivery(listing, terms),
    checkScope(listing, terms),
    checkBilling(listing, terms),
    checkTermsPrice(listing, terms),
  ]);
  return refusal ?? allow('DS 35', 'the terms are within what the listing offers');
}

/** DE 41: conditional free use of public data needs the operator's approval of the purpose before a contract forms. */
export const purposeApprovalRequired = (
  pricingMode: PricingMode,
): { required: boolean; article: 'DE 41' } => ({
  required: pricingMode === 'conditional-free',
  article: 'DE 41',
});

/** Mainland China: 'CN'. Hong Kong (HK), Macao (MO), Taiwan (TW) and every other code are outside it. */
export const MAINLAND_CHINA = 'CN';

export interface CrossBorderCase {
  /** ISO 3166-1 alpha-2 code of where the buyer organisation is registered. */
  buyerRegisteredIn: string;
  level: DataLevel;
  /** Whether the data traded holds personal information (a personal-data asset or a personal-information column). */
  personalInformation: boolean;
}

/**
 * A buyer registered outside mainland China may not contract for important or core data (DS 38: important data
 * collected here is stored here; core data is important data of the highest level) nor for data holding personal
 * information (DS 72: personal information and important data are not sent abroad).
 */
export function checkCrossBorder(c: CrossBorderCase): Decision {
  const where = c.buyerRegisteredIn.trim().toUpperCase();
  if (where === MAINLAND_CHINA) return allow('DS 38', 'the buyer is registered in mainland China');
  if (levelRank(c.level) >= levelRank('important')) {
    return refuse(
      'DS 38',
      'cross_border_important_data',
      `${c.level} data stays in mainland China: a buyer registered in ${where} cannot contract for it`,
    );
  }
  if (c.personalInformation) {
    return refuse(
      'DS 72',
      'cross_border_personal_information',
      `personal information is not sent outside mainland China: a buyer registered in ${where} cannot contract for it`,
    );
  }
  return allow('DS 38', `general data without personal information may go to a buyer registered in ${where}`);
}

/** A clause a contract carries, with the article that requires it; the text in Chinese, then English. */
export interface ContractClauseText {
  code: string;
  article: string;
  text: string;
}

const NO_ONWARD_TRANSFER: ContractClauseText = {
  code: 'no_onward_transfer',
  article: 'DS 40, DS 52',
  text:
    '数据接收方仅为合同约定的目的在约定范围内使用数据，未经数据提供方同意，不得以任何形式将数据提供给第三方。' +
    ' The receiver uses the data only for the purpose and within the scope agreed, and shall not provide it in' +
    ' any form to a third party without the provider’s consent.',
};

const DATA_SECURITY: ContractClauseText = {
  code: 'data_security',
  article: 'DS 35',
  text:
    '本合同涉及重要数据：数据接收方按照对应级别对数据进行分类分级保护，采取必要的安全保护措施，并承担数据安全责任。' +
    ' This contract concerns important data: the receiver protects it at its level, takes the necessary' +
    ' security measures and bears responsibility for its security.',
};

/** The clauses a contract for data of `level` carries: no onward transfer always, data security for important data. */
export function contractClauses(level: DataLevel): ContractClauseText[] {
  const clauses = [{ ...NO_ONWARD_TRANSFER }];
  if (allowance(level, 'not-open').securityAgreementInContract.required) clauses.push({ ...DATA_SECURITY });
  return clauses;
}
