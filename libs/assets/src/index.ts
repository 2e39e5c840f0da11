// `@app/assets`: data assets and their registration (DE 42): rights holders (DE 35), classification (DS 21),
// review, registration certificates, valuation reports and the important-data catalogue (DS 22). The certificate
// format and its offline verifier are the framework-free second entry `@app/assets/core`.
export * from './core/index.js';
export * from './entities/index.js';
export * from './entities/asset-certificate.entity.js';
export * from './access.js';
export * from './asset-input.js';
export * from './asset-lifecycle.js';
export * from './asset-reader.js';
export * from './asset-review.service.js';
export * from './asset.service.js';
export * from './assets.module.js';
export * from './certificate.service.js';
export * from './important-data-catalogue.js';
export * from './asset-request.service.js';
export * from './valuation.service.js';
export * from './registration-number.js';
