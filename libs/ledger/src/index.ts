export * from './core/index.js';
export * from './ledger-recorder.js';
export * from './ledger.module.js';
export * from './sql-node-store.js';
