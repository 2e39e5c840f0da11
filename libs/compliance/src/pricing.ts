import type { DataKind } from './attributes.js';
import { allow, refuse, type Decision } from './decision.js';

export const PRICING_MODES = ['conditional-free', 'guided', 'market'] as const;
export type PricingMode = (typeof PRICING_MODES)[number];

export const BILLING_UNITS = ['one-off', 'subscription', 'per-computation'] as const;
export type BillingUnit = (typeof BILLING_UNITS)[number];

/** A band the regulator publishes for one data category (DE 41), with the public finance's share (DE 36). */
export interface PricingBand {
  category: string;
  minFen: bigint;
  maxFen: bigint;
  publicResourceFeeBasisPoints: number;
}

export interface PriceOffer {
  mode: PricingMode;
  priceFen: bigint;
  /** The kinds of data the listing is built from. */
  dataKinds: readonly DataKind[];
  /** The band of the guided category; null when the mode is not guided or the category has no band. */
  band: PricingBand | null;
}

const fen = (value: bigint): string => `${value} fen`;

/**
 * DE 41: public data for public welfare is conditionally free (price 0), public data for industry is priced
 * inside the regulator's band for its category, enterprise and personal data at market price. Precondition:
 * `priceFen` is an integer amount of fen (bigint), `dataKinds` non-empty.
 */
export function checkPrice(offer: PriceOffer): Decision {
  const { mode, priceFen, dataKinds } = offer;
  if (priceFen < 0n) return refuse('DE 41', 'negative_price', 'a price is never negative');
  const nonPublic = dataKinds.filter((kind) => kind !== 'public');
  switch (mode) {
    case 'conditional-free':
      if (nonPublic.length > 0)
        return refuse(
          'DE 41',
          'mode_not_for_data_kind',
          `conditional free use is for public data; this listing holds ${nonPublic[0]} data`,
        );
      if (priceFen !== 0n)
        return refuse('DE 41', 'free_must_be_zero', `conditional free use is priced 0, not ${fen(priceFen)}`);
      return allow(
        'DE 41',
        'public data for public governance or welfare: free, purpose approved by the operator',
      );
    case 'guided': {
      if (nonPublic.length > 0)
        return refuse(
          'DE 41',
          'mode_not_for_data_kind',
          `government-guided pricing is for public data; this listing holds ${nonPublic[0]} data`,
        );
      const band = offer.band;
      if (!band)
        return refuse(
          'DE 41',
          'no_pricing_band',
          'the regulator has published no pricing band for this category',
        );
      if (priceFen < band.minFen || priceFen > band.maxFen) {
        return refuse(
          'DE 41',
          'price_outside_band',
          `price ${fen(priceFen)} lies outside the band for ${band.category}: ${fen(band.minFen)} to ${fen(band.maxFen)}`,
        );
      }
      return allow(
        'DE 41',
        `inside the band for ${band.category}, ${fen(band.minFen)} to ${fen(band.maxFen)}`,
      );
    }
    case 'market':
      if (dataKinds.includes('public'))
        return refuse(
          'DE 41',
          'mode_not_for_data_kind',
          'public data is conditionally free or government-guided, never market-priced',
        );
      return allow('DE 41', 'enterprise and personal data: market price');
  }
}

/** Whether a band is well formed: min ≤ max, both ≥ 0, fee between 0 and 10000 basis points. */
export function checkBand(band: PricingBand): Decision {
  if (band.minFen < 0n || band.maxFen < band.minFen) {
    return refuse(
      'DE 41',
      'invalid_band',
      `a band runs from a non-negative minimum up to a maximum; got ${band.minFen} to ${band.maxFen}`,
    );
  }
  if (
    !Number.isSafeInteger(band.publicResourceFeeBasisPoints) ||
    band.publicResourceFeeBasisPoints < 0 ||
    band.publicResourceFeeBasisPoints > 10_000
  ) {
    return refuse('DE 36', 'invalid_fee_rate', 'the public resource fee is 0 to 10000 basis points');
  }
  return allow('DE 41', `band for ${band.category}`);
}
