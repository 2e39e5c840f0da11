#!/usr/bin/env node
// Loads the TypeScript hooks, then runs scripts/start.ts.
await import('@swc-node/register/esm-register');
await import('./start.ts');
