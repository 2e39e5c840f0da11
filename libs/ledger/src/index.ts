// `@app/ledger`: the ledger kept in the database, as Nest services (recorder, store, heads, audit, anchoring).
// Its framework-free core (encoding, Merkle tree, proofs, heads, the export format and verifier) is the second
// entry point `@app/ledger/core`; only the entry types the services speak in are repeated here.
export type { HashAlgorithm, JsonValue, LedgerActor, LedgerEntry, SignedTreeHead } from './core/index.js';
export * from './anchoring.service.js';
export * from './ledger-access-log.js';
export * from './ledger-audit.service.js';
export * from './ledger-recorder.js';
export * from './ledger-recorder.module.js';
export * from './ledger-store.js';
export * from './ledger.module.js';
export * from './party-ledger.service.js';
export * from './signing/keystore.js';
export * from './signing/ledger-key.js';
export * from './tree-head.service.js';
