// `@app/catalog`: listings, pricing bands and their lifecycle, and the searchable catalogue of published listings.
export * from './search/index.js';
