export * from './clock.js';
export * from './config.js';
export * from './domain-error.js';
export * from './ids.js';
export * from './money.js';
export * from './secret-box.js';
export * from './secret-box.provider.js';
export * from './tokens.js';
