export * from './catalog-entry.js';
export * from './catalog-index.js';
export * from './catalog-search.module.js';
