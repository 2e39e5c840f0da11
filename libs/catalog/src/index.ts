// `@app/catalog`: listings, pricing bands and their lifecycle, and the searchable catalogue of published listings.
export * from './catalog.module.js';
export * from './entities/index.js';
export * from './listing-recipes.js';
export * from './listing-transitions.js';
export * from './listing.service.js';
export * from './pricing-band.service.js';
export * from './search/index.js';
