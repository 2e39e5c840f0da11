import type { DataRight } from '@app/compliance';

/** The whole, in basis points. */
export const WHOLE_SHARE = 10_000;

/** One listed asset's rights as registered (DE 35): per right, holders whose shares sum to 10,000 basis points. */
export interface AssetRights {
  rights: readonly { right: DataRight; organisationId: string; shareBasisPoints: number }[];
}

export interface RevenueShare {
  organisationId: string;
  basisPoints: number;
}

/**
 * The proceeds' shares among the rights holders of a listing's assets (DE 43, "谁投入、谁贡献、谁受益"): every
 * asset weighs the same, each of its three rights a third of it, and the holders of a right share it by their basis
 * points. An organisation holding several rights or assets gets the sum. The exact shares are rationals; they are
 * rounded to whole basis points by the largest remainder (ties to the smaller organisation id), so the result sums
 * to exactly 10,000 and no holder is more than one basis point from its exact share. A holder whose exact share
 * rounds to nothing is left out (settlement takes positive shares only). Ordered by share, largest first, then
 * organisation id: the order settlement hands out remainder fen in.
 *
 * Precondition: at least one asset, and each asset's rights pass `checkRightShares` (every right held, shares
 * positive whole numbers summing to 10,000 per right). Throws RangeError otherwise.
 */
export function revenueShares(assets: readonly AssetRights[]): RevenueShare[] {
  if (assets.length === 0) throw new RangeError('revenue shares need at least one asset');
  const weights = new Map<string, bigint>();
  for (const asset of assets) {
    for (const right of ['holding', 'processing', 'operation'] as const) {
      const holders = asset.rights.filter((r) => r.right === right);
      const sum = holders.reduce((s, h) => s + h.shareBasisPoints, 0);
      if (
        sum !== WHOLE_SHARE ||
        holders.some((h) => !Number.isSafeInteger(h.shareBasisPoints) || h.shareBasisPoints <= 0)
      )
        throw new RangeError(`the ${right} right's shares must be positive and sum to ${WHOLE_SHARE}`);
      for (const h of holders)
        weights.set(h.organisationId, (weights.get(h.organisationId) ?? 0n) + BigInt(h.shareBasisPoints));
    }
  }
  // Every asset's weights sum to 3 × 10,000, so each asset weighs the same and each right a third of it.
  const total = BigInt(assets.length * 3 * WHOLE_SHARE);
  const whole = BigInt(WHOLE_SHARE);
  const parts = [...weights].map(([organisationId, w]) => ({
    organisationId,
    floor: (whole * w) / total,
    remainder: (whole * w) % total,
  }));
  let left = whole - parts.reduce((s, p) => s + p.floor, 0n);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder !== b.remainder
      ? b.remainder > a.remainder
        ? 1
        : -1
      : compareIds(a.organisationId, b.organisationId),
  );
  for (const p of byRemainder) {
    if (left === 0n) break;
    p.floor += 1n;
    left -= 1n;
  }
  return parts
    .map((p) => ({ organisationId: p.organisationId, basisPoints: Number(p.floor) }))
    .filter((s) => s.basisPoints > 0)
    .sort((a, b) => b.basisPoints - a.basisPoints || compareIds(a.organisationId, b.organisationId));
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
