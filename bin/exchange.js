#!/usr/bin/env node
// The `exchange` command: checks Node.js, builds dist/ when stale, then runs the CLI from the build.
process.argv.splice(2, 0, 'apps/cli/src/main');
await import('../scripts/launch.js');
