export * from './catalog-entry.js';
export * from './catalog-index.js';
export * from './catalog-search.module.js';
export * from './catalog-search.service.js';
export { MAX_QUERY_TERMS, matches, normalise, parseQuery, tokenise, type ParsedQuery } from './tokeniser.js';
export { entryTokens } from './catalog-documents.js';
