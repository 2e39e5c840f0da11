#!/usr/bin/env node
// `npm start`: checks Node.js, builds dist/ when stale, then runs scripts/start.ts from the build.
process.argv.splice(2, 0, 'scripts/start');
await import('./launch.js');
