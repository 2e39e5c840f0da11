/**
 * The public/evaluation side of @app/he: nothing reachable from this module can generate, load or
 * use a secret key. The sandbox worker imports only this file.
 */
export {
  accumulateTerms,
  checkTerms,
  CapacityError,
  evaluateTerms,
  finishAggregates,
  termBound,
  termDepth,
  termInputs,
  type AggregateTerm,
  type ChunkSource,
  type SizedColumn,
} from './aggregate-terms.js';
export {
  assertIntact,
  hashMatches,
  IntegrityError,
  sha256Hex,
  toBlob,
  type CiphertextBlob,
} from './ciphertext-blob.js';
export {
  bucketOf,
  checkColumnSpec,
  defaultParamSet,
  fixedPointFactor,
  indicatorName,
  indicatorSpec,
  ValidationError,
  type ColumnSpec,
} from './column-spec.js';
export {
  manifestOf,
  type DatasetManifest,
  type EncryptedColumn,
  type EncryptedDataset,
} from './encrypted-dataset.js';
export { EvaluationSession, type EvaluationKeyBytes } from './evaluation-session.js';
export { slotSumSteps } from './galois-steps.js';
export { createHeContext, type HeContext } from './he-context.js';
export type { PublicKeyMaterial } from './key-material.js';
export { KEYSTORE_MAGIC, startsWithKeystoreMagic } from './keystore-format.js';
export { getParamSet, PARAM_SETS, type ParamSet, type ParamSetId, type Scheme } from './param-sets.js';
export { loadSeal, type Seal } from './seal-runtime.js';
export { withScope, WasmScope, type Deletable } from './wasm-scope.js';
