// `@app/blobs`: content-addressed, immutable byte storage behind one interface, with two backends: files under
// DATA_DIR (the embedded default) and the database (PostgreSQL by default, so workers on other hosts share it).
export * from './blob-store.js';
export * from './database-blob-store.js';
export * from './file-blob-store.js';
export * from './blobs.module.js';
export * from './destruction-guard.js';
