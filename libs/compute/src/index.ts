export * from './policy/index.js';
export * from './core/index.js';
export * from './entities/computation.entity.js';
export * from './computation-support.js';
export * from './computation.service.js';
export * from './computation-reader.js';
export * from './computation-release.service.js';
export * from './compute.module.js';
