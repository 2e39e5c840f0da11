// `@app/compliance`: the tables of the two regulations as data and pure functions (no Nest, no ORM). Every rule
// returns the article that decided it, so a refusal can name it. Later libs add their tables here.
export * from './attributes.js';
export * from './classification.js';
export * from './incident-levels.js';
export * from './decision.js';
export * from './listing-policy.js';
export * from './pricing.js';
export * from './rights.js';
export * from './trading-policy.js';
