export { sampleBernoulli, sampleBernoulliExp } from './bernoulli.sampler.js';
export { createCryptoRandomSource } from './crypto.random-source.js';
export { formatDecimal, parseDecimal, type DecimalInput } from './decimal.codec.js';
export { sampleDiscreteLaplace } from './discrete-laplace.sampler.js';
export {
  formatMilliEpsilon,
  toMilliEpsilon,
  MILLI_EPSILON_PER_EPSILON,
  type MilliEpsilon,
} from './epsilon.units.js';
export {
  fixedPoint,
  fromUnits,
  sensitivityUnits,
  toUnits,
  vectorSensitivityUnits,
  type FixedPoint,
} from './fixed-point.codec.js';
export {
  calibrateNoise,
  fineToOutputUnits,
  sampleCalibratedRelease,
  FINE_GRID_OVERHEAD_DIVISOR,
  type NoiseCalibration,
} from './noise.calibration.js';
export {
  createOutputPolicy,
  outputPolicyProblem,
  MIN_ROWS_FLOOR,
  type OutputPolicy,
  type OutputPolicyConfig,
} from './output-policy.js';
export {
  createPrivacyBudget,
  isValidPrivacyBudget,
  remainingMilliEpsilon,
  spendEpsilon,
  type BudgetSpend,
  type PrivacyBudget,
  type SpendResult,
} from './privacy-budget.js';
export { maxPrivacyLoss, releasedUnitLogPmf, worstCaseNeighbours } from './privacy-loss.stat.js';
export type { RandomSource } from './random-source.js';
export { rational, type Rational } from './rational.js';
export type { Refusal, RefusalCode } from './refusal.js';
export {
  findDifferencingConflict,
  findRepeat,
  type DifferencingConflict,
  type ReleaseHistory,
  type ReleaseRecord,
} from './release-history.js';
export type { Release, ReleaseDecision, ReleaseRequest, Repeat } from './release-request.js';
export { evaluateRelease } from './release.evaluator.js';
export {
  intersectionSize,
  isNormalRowSet,
  rowSetFromIds,
  rowSetFromRanges,
  rowSetSize,
  rowSetsEqual,
  symmetricDifferenceSize,
  type RowSet,
} from './row-set.js';
export { createSha256DrbgRandomSource } from './sha256-drbg.random-source.js';
