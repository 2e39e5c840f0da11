export * from './policy/index.js';
export * from './core/index.js';
export * from './entities/computation.entity.js';
