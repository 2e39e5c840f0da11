#!/usr/bin/env node
// `npm run bench -- <name> [--quick]` runs bench/<name>/index.ts (or bench/<name>.ts) with the TypeScript loader.
// Each bench prints one JSON line per figure: {"bench","figure","value","unit","n"}.
import { exitUnlessSupportedNode } from './node-version.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

exitUnlessSupportedNode();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...rest] = process.argv.slice(2);
const candidates = name ? [join(root, 'bench', name, 'index.ts'), join(root, 'bench', `${name}.ts`)] : [];
const entry = candidates.find((p) => existsSync(p));
if (!entry) {
  const known = existsSync(join(root, 'bench'))
    ? readdirSync(join(root, 'bench')).map((f) => f.replace(/\.ts$/, ''))
    : [];
  console.error(`usage: npm run bench -- <name> [--quick]; known benches: ${known.join(', ') || 'none'}`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--expose-gc', '--import', '@swc-node/register/esm-register', entry, ...rest],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
