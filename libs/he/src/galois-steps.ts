import type { ParamSet } from './param-sets.js';

/**
 * Rotation steps that sum all slots into every slot: powers of two below the row length, plus
 * step 0 (SEAL's row swap) for BFV, whose slots form a 2×(N/2) matrix.
 */
export function slotSumSteps(params: ParamSet): number[] {
  const row = params.scheme === 'bfv' ? params.slots / 2 : params.slots;
  const steps: number[] = [];
  for (let s = 1; s < row; s *= 2) steps.push(s);
  if (params.scheme === 'bfv') steps.push(0);
  return steps;
}
