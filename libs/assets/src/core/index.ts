// The framework-free part of `@app/assets` (no Nest, no ORM): the recorded facts and the certificate format,
// its signature and its offline verification. The CLI's `exchange cert verify` runs on this alone.
export * from './asset-facts.js';
export * from './certificate.js';
