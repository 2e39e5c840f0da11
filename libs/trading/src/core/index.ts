// `@app/trading/core`: the framework-free rules of a trade (terms, their hash and diff, the negotiation's and the
// contract's state tables, the contract's EIP-712 typed data, the revenue shares from the rights).
export * from './contract-transitions.js';
export * from './contract-typed-data.js';
export * from './negotiation-transitions.js';
export * from './revenue-shares.js';
export * from './terms.js';
export * from './signing-challenge.js';
export * from './escrow.js';
