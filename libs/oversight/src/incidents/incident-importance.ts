import {
  IMPORTANCE_OF_LEVEL,
  importanceRank,
  type DataLevel,
  type IncidentImportance,
} from '@app/compliance';
import { RuleRefused, ValidationFailed } from '@app/core';

/** An affected asset as the importance rule reads it. */
export interface AssetLevel {
  id: string;
  level: DataLevel;
}

export interface DecidedImportance {
  importance: IncidentImportance;
  /** `assets`: the highest level of the affected assets (DS 29); `declared`: given by the reporter. */
  source: 'assets' | 'declared';
}

/**
 * The importance of an incident's affected object (DS 12 表2/表3): the most important affected asset's level
 * (core → especially important, DS 29), or the reporter's word when no registered asset is named. A reporter may
 * say the object matters more than the assets show (it stands, as `declared`), never less: that would lower the
 * level and could keep an incident from the regulators, so it is refused naming the asset that forbids it.
 */
export function decideImportance(
  assets: readonly AssetLevel[],
  given: IncidentImportance | undefined,
): DecidedImportance {
  if (assets.length === 0) {
    if (given === undefined)
      throw new ValidationFailed(
        'name the affected assets (affectedAssetIds) or give the importance of the affected object',
        'importance_required',
      );
    return { importance: given, source: 'declared' };
  }
  const highest = assets.reduce((top, a) =>
    importanceRank(IMPORTANCE_OF_LEVEL[a.level]) > importanceRank(IMPORTANCE_OF_LEVEL[top.level]) ? a : top,
  );
  const fromAssets = IMPORTANCE_OF_LEVEL[highest.level];
  if (given === undefined || given === fromAssets) return { importance: fromAssets, source: 'assets' };
  if (importanceRank(given) < importanceRank(fromAssets))
    throw new RuleRefused(
      'DS 12',
      'importance_below_assets',
      `the affected asset ${highest.id} holds ${highest.level} data, so the affected object is ${fromAssets} ` +
        `(DS 29); it cannot be declared ${given}`,
    );
  return { importance: given, source: 'declared' };
}
