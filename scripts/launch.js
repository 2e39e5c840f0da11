#!/usr/bin/env node
// Runs one process of the platform from the build: `node scripts/launch.js <entry>` with <entry> a source path without
// its extension (apps/api/src/main). Checks Node.js first, before anything native loads; then builds dist/ when it is
// missing or stale (about a second; nothing when fresh) and imports the compiled entry.
import { exitUnlessSupportedNode } from './node-version.js';

exitUnlessSupportedNode();
const [entry] = process.argv.splice(2, 1);
if (!entry) {
  process.stderr.write('usage: node scripts/launch.js <entry, e.g. apps/api/src/main>\n');
  process.exit(2);
}
const { DIST, ensureBuilt } = await import('./build.js');
await ensureBuilt();
const { pathToFileURL } = await import('node:url');
await import(pathToFileURL(`${DIST}/${entry}.js`).href);
