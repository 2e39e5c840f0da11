// `@app/trading`: negotiation, signed contracts, escrow through settlement, file delivery and disputes. The
// framework-free rules are under core/ (also `@app/trading/core`).
export * from './contract-formation.js';
export * from './contract-reader.js';
export * from './contract-signing.service.js';
export * from './core/index.js';
export * from './delivery-file-store.js';
export * from './delivery-file.service.js';
export * from './entities/index.js';
export * from './negotiation-listing.js';
export * from './negotiation-records.js';
export * from './negotiation.service.js';
export * from './signing-address.service.js';
export * from './trading.module.js';
export * from './contract-delivery.service.js';
export * from './contract-funding.service.js';
export * from './contract-suspension.service.js';
export * from './dispute.service.js';
export * from './contract-destruction.js';
