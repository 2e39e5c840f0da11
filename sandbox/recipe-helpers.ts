import { fixedPointFactor, type ColumnSpec } from '@app/he/evaluation';
import { RecipeError, type RecipeInput } from './recipe.js';

export const NUMERIC: RecipeInput['kinds'] = ['real', 'integer', 'decimal'];

export function noParams(raw: unknown): Record<string, never> {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Object.keys(raw).length > 0)) {
    throw new RecipeError('this recipe takes no parameters');
  }
  return {};
}

export function one(roles: Readonly<Record<string, readonly string[]>>, role: string): string {
  const c = roles[role]?.[0];
  if (!c) throw new RecipeError(`role ${role} not bound`);
  return c;
}

export function factor(specs: Readonly<Record<string, ColumnSpec>>, column: string): number {
  return fixedPointFactor(specs[column]);
}

/**
 * n·Σxy − Σx·Σy over n², computed exactly in BigInt when the aggregates are exact integers (BFV)
 * so the cancellation loses nothing; in floating point otherwise (CKKS).
 */
export function centeredMoment(n: number, sxy: number, sx: number, sy: number): number {
  if ([sxy, sx, sy].every(Number.isSafeInteger)) {
    const num = BigInt(n) * BigInt(sxy) - BigInt(sx) * BigInt(sy);
    return Number(num) / (n * n);
  }
  return (sxy - (sx * sy) / n) / n;
}

export function sampleParam(raw: unknown): { sample: boolean } {
  if (raw === undefined) return { sample: false };
  if (typeof raw !== 'object' || raw === null) throw new RecipeError('parameters must be an object');
  const keys = Object.keys(raw);
  if (keys.some((k) => k !== 'sample')) throw new RecipeError('only `sample` is accepted');
  const s = (raw as { sample?: unknown }).sample;
  if (s !== undefined && typeof s !== 'boolean') throw new RecipeError('`sample` must be a boolean');
  return { sample: s === true };
}
