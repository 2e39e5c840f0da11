#!/usr/bin/env node
// The `exchange` command: loads the TypeScript hooks, then runs the CLI from source.
await import('@swc-node/register/esm-register');
await import('../apps/cli/src/main.ts');
