import { createCryptoRandomSource } from './crypto.random-source.js';
import { formatDecimal, parseDecimal } from './decimal.codec.js';
import { toMilliEpsilon } from './epsilon.units.js';
import { fixedPoint, fromUnits, sensitivityUnits, type FixedPoint } from './fixed-point.codec.js';
import { calibrateNoise, sampleCalibratedRelease } from './noise.calibration.js';
import { outputPolicyProblem } from './output-policy.js';
import { isArrayValue } from './plain-value.guards.js';
import { isValidPrivacyBudget, spendEpsilon } from './privacy-budget.js';
import { refuse, type Refusal } from './refusal.js';
import { findDifferencingConflict, findRepeat } from './release-history.js';
import type { ReleaseDecision, ReleaseRequest } from './release-request.js';
import { isNormalRowSet, rowSetSize } from './row-set.js';

/**
 * Decides whether aggregate `values` over `rowSet` may be released under the contract's output policy, and
 * if so noises them. Pure apart from drawing randomness: the caller persists `newBudget` and appends
 * `newHistoryEntry`; nothing changes on a refusal or a repeat.
 *
 * Checks, in order: well-formed request → at least k rows → repeat (same queryKey and identical rows:
 * the earlier noised values are returned, spending nothing, since re-noising would let averaging erode the
 * noise) → no earlier released row set within 1..k-1 rows → ε budget → discrete Laplace noise.
 * Refusals depend only on row sets, ε and the history, never on the values, so they leak nothing.
 *
 * Privacy: the values are noised by `calibrateNoise`'s mechanism (round to a fine grid r/m, add independent
 * discrete Laplace noise sized for the L1 sensitivity of the ROUNDED vector, ceil(m·Δ/r) + d - 1 fine units,
 * then round to `resolution`); the vector release is ε-differentially private w.r.t. adding or removing
 * one row for any number of values, provided `sensitivity` truly bounds the L1 change of the real vector.
 * By sequential composition the contract's releases together are (spent ε)-DP, whatever their row sets:
 * that budget, not the pairwise differencing check, is what bounds combinations of three or more releases
 * (the differencing refusal is defence in depth; see docs/output-policy.md).
 */
export function evaluateRelease(request: ReleaseRequest): ReleaseDecision {
  const invalid = requestProblem(request);
  if (invalid) return invalid;
  const { policy, budget, history, rowSet, queryKey, releaseId } = request;

  const rows = rowSetSize(rowSet);
  if (rows < policy.minRows) {
    return refuse(
      'below_min_rows',
      `aggregate covers ${rows} rows; the contract requires at least ${policy.minRows}`,
    );
  }

  const repeat = findRepeat(history, queryKey, rowSet);
  if (repeat) {
    return {
      decision: 'repeat',
      releaseId: repeat.releaseId,
      noisedValues: repeat.noisedValues,
      resolution: repeat.resolution,
    };
  }

  const conflict = findDifferencingConflict(history, rowSet, policy.minRows);
  if (conflict) {
    return refuse(
      'differencing',
      `row set differs from release ${conflict.record.releaseId} by ${conflict.difference} rows; ` +
        `released row sets must differ by 0 or at least ${policy.minRows}`,
      conflict.record.releaseId,
    );
  }

  const milliEpsilon = toMilliEpsilon(request.epsilon);
  const spent = spendEpsilon(budget, releaseId, milliEpsilon);
  if (!spent.ok) return refuse(spent.code, spent.reason);

  const fp = fixedPoint(request.resolution ?? '1');
  const calibration = calibrateNoise(fp, request.values, request.sensitivity, milliEpsilon);
  const noisedValues = sampleCalibratedRelease(calibration, request.random ?? createCryptoRandomSource()).map(
    (units) => fromUnits(fp, units),
  );
  const resolution = formatDecimal(fp.resolution);
  return {
    decision: 'release',
    releaseId,
    noisedValues,
    resolution,
    newBudget: spent.budget,
    newHistoryEntry: { releaseId, queryKey, rowSet, resolution, noisedValues, milliEpsilon },
  };
}

function requestProblem(request: ReleaseRequest): Refusal | undefined {
  const bad = (reason: string): Refusal => refuse('invalid_request', reason);
  const { policy, budget, history, releaseId, queryKey } = request;
  const policyProblem = outputPolicyProblem(policy);
  if (policyProblem) return bad(policyProblem);
  if (!isValidPrivacyBudget(budget)) return bad('privacy budget state is inconsistent');
  if (budget.contractId !== policy.contractId) {
    return bad(`budget belongs to contract ${budget.contractId}, policy to ${policy.contractId}`);
  }
  if (typeof releaseId !== 'string' || releaseId.length === 0) return bad('releaseId is required');
  if (typeof queryKey !== 'string' || queryKey.length === 0) return bad('queryKey is required');
  if (!isArrayValue(history)) return bad('history must be an array');
  if (
    history.some((r) => r.releaseId === releaseId) ||
    budget.releases.some((r) => r.releaseId === releaseId)
  ) {
    return bad(`releaseId ${releaseId} was already used`);
  }
  if (!isNormalRowSet(request.rowSet))
    return bad('rowSet must be sorted, disjoint, non-adjacent [start, end) ranges');
  if (history.some((r) => !isNormalRowSet(r.rowSet))) return bad('history holds a malformed row set');
  if (!isArrayValue(request.values) || request.values.length === 0)
    return bad('values must be a non-empty array');

  return decimalProblem(request, bad);
}

function decimalProblem(request: ReleaseRequest, bad: (reason: string) => Refusal): Refusal | undefined {
  let fp: FixedPoint;
  try {
    fp = fixedPoint(request.resolution ?? '1');
  } catch (error) {
    return bad(`resolution: ${(error as Error).message}`);
  }
  try {
    if (toMilliEpsilon(request.epsilon) <= 0) return bad('epsilon must be positive');
  } catch (error) {
    return bad(`epsilon: ${(error as Error).message}`);
  }
  try {
    if (sensitivityUnits(fp, request.sensitivity) <= 0n) return bad('sensitivity must be positive');
    request.values.forEach((value) => parseDecimal(value));
  } catch (error) {
    return bad((error as Error).message);
  }
  return undefined;
}
