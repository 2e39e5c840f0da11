import { allow, refuse, type Decision } from './decision.js';

/** DE 35: 持有权, 加工使用权 and 经营权 are separable; each may belong to other parties. */
export const DATA_RIGHTS = ['holding', 'processing', 'operation'] as const;
export type DataRight = (typeof DATA_RIGHTS)[number];

export const RIGHT_NAMES: Record<DataRight, string> = {
  holding: '持有权 (holding)',
  processing: '加工使用权 (processing and use)',
  operation: '经营权 (operation)',
};

export const FULL_SHARE_BASIS_POINTS = 10_000;

export interface RightShare {
  right: DataRight;
  organisationId: string;
  shareBasisPoints: number;
}

/**
 * DE 35: every right has holders whose shares, in integer basis points, sum to exactly 10000, with each holder
 * named once per right and every share a positive integer.
 */
export function checkRightShares(shares: readonly RightShare[]): Decision {
  for (const right of DATA_RIGHTS) {
    const holders = shares.filter((s) => s.right === right);
    if (holders.length === 0) {
      return refuse('DE 35', 'right_without_holder', `${RIGHT_NAMES[right]} has no holder`);
    }
    const bad = holders.find((s) => !Number.isSafeInteger(s.shareBasisPoints) || s.shareBasisPoints <= 0);
    if (bad) {
      return refuse(
        'DE 35',
        'invalid_share',
        `shares are positive whole basis points; ${RIGHT_NAMES[right]} has ${bad.shareBasisPoints}`,
      );
    }
    const ids = holders.map((s) => s.organisationId);
    if (new Set(ids).size !== ids.length) {
      return refuse('DE 35', 'duplicate_holder', `${RIGHT_NAMES[right]} names a holder twice`);
    }
    const total = holders.reduce((sum, s) => sum + s.shareBasisPoints, 0);
    if (total !== FULL_SHARE_BASIS_POINTS) {
      return refuse(
        'DE 35',
        'shares_not_whole',
        `${RIGHT_NAMES[right]} shares sum to ${total} basis points, not 10000`,
      );
    }
  }
  return allow('DE 35', 'each of the three rights is held in shares summing to 10000 basis points');
}
