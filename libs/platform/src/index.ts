export * from './core.module.js';
export * from './domain.module.js';
