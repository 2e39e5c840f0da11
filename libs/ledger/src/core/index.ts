// `@app/ledger/core`, the framework-free core of the provenance ledger (no Nest, no ORM): entry encoding, RFC 9162
// Merkle tree and proofs, perfect-subtree node store, signed tree heads, the export format and the offline verifier.
export { decodeBase64Strict, encodeBase64 } from './base64.js';
export {
  consistencyProof,
  consistencyRanges,
  verifyConsistency,
  type ConsistencyClaim,
} from './consistency-proof.js';
export * from './export-format.js';
export {
  verifyExport,
  verifyExportLines,
  type ExportChunks,
  type ExportVerdict,
  type VerifiedHead,
  type VerifiedTree,
  type VerifyExportOptions,
} from './export-verifier.js';
export { defaultExportWorkers, ExportWorkerPool } from './export-worker-pool.js';
export * from './hash-algorithm.js';
export {
  inclusionProof,
  inclusionProofs,
  inclusionRanges,
  verifyInclusion,
  type InclusionClaim,
} from './inclusion-proof.js';
export { canonicalJson, decodeLeafInput, encodeLeafInput, LEAF_ENCODING } from './leaf-encoding.js';
export { entryProblem, type JsonValue, type LedgerActor, type LedgerEntry } from './ledger-entry.js';
export { LedgerError } from './ledger-error.js';
export { MemoryNodeStore } from './memory-node-store.js';
export { MerkleFrontier } from './merkle-frontier.js';
export { appendLeaves, hashLeaves, merkleTreeHash, rootAt, type TreeRoot } from './merkle-tree.js';
export type { NodeKey, NodeStore, StoredNode } from './node-store.js';
export { foldSubtrees, perfectSubtrees, rangeHashes, type LeafRange } from './perfect-subtrees.js';
export * from './tree-head.js';
export { fail, OK, type Verdict } from './verdict.js';
