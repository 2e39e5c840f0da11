// `@app/settlement`: double-entry settlement in integer fen. The framework-free core (accounts, transfers, holds,
// the revenue split, idempotency, an in-memory book) is under core/; the service runs it on the database.
export * from './core/index.js';
export * from './settlement-store.js';
export * from './settlement.service.js';
export * from './settlement.module.js';
