// The settlement core: double-entry accounts, immutable transfers, two-phase holds, linked groups, the revenue
// split and idempotency, as plain functions (no Nest, no ORM). The database store and the in-memory book both
// apply its plans.
export * from './account.js';
export * from './amount.js';
export * from './operation.js';
export * from './revenue-split.js';
export * from './settlement-book.js';
export * from './settlement-error.js';
export * from './transfer.js';
export * from './trial-balance.js';
