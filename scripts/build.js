#!/usr/bin/env node
// `npm run build`: compiles the TypeScript of apps/, libs/, sandbox/, contracts/ and scripts/ (tests excluded) with
// swc into dist/, keeping the tree, so the API, the worker and the CLI start without a TypeScript loader.
// `@app/<name>` specifiers become relative paths: tsconfig's `paths` first, then `@app/<name>` → libs/<name>/src/index.ts
// for any lib. Files that are not TypeScript (the contract's .sol) are copied beside the code that reads them. The web
// console (apps/console) is built apart, by Vite, into dist/console, which the API serves at /.
// `--if-stale` (what `npm install`, `npm start` and the `exchange` command do) builds only when dist/ is missing or
// was built from other inputs than the ones on disk now.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp');
/** The web console: a Vite build of its own into dist/console, stamped apart from the server code. */
const CONSOLE_SOURCE = 'apps/console';
const CONSOLE_DIST = join(DIST, 'console');
const CONSOLE_STAMP = join(DIST, '.console-stamp');
const CONSOLE_CONFIG_FILES = ['package.json'];
const SOURCE_DIRS = ['apps', 'libs', 'sandbox', 'contracts', 'scripts'];
/** Inputs outside the source trees that change what the build produces. */
const CONFIG_FILES = ['tsconfig.json', 'package.json', 'scripts/build.js'];
/** Generated or local-only directories inside the source trees (contracts/build is solc's artifact cache). */
const SKIP_DIRS = new Set(['node_modules', 'build', 'data', 'dist']);

const isTest = (path) => /\.(e2e-)?spec\.ts$/.test(path) || path.endsWith('.d.ts');
const toPosix = (path) => path.split(sep).join('/');

/** Every input of the build, relative to the root: TypeScript to compile and other files to copy. */
function inputs() {
  const compile = [];
  const copy = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && path !== CONSOLE_SOURCE) walk(path);
      } else if (path.endsWith('.ts')) {
        if (!isTest(path)) compile.push(path);
      } else if (!dir.startsWith('scripts') && !path.endsWith('.js')) {
        copy.push(path);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return { compile: compile.sort(), copy: copy.sort() };
}

/** Names, sizes and modification times of every input: cheap to compute (stat only) on each start. */
function fingerprint(files) {
  const hash = createHash('sha256');
  for (const path of [...CONFIG_FILES, ...files.compile, ...files.copy]) {
    const stat = statSync(join(ROOT, path));
    hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function readStamp() {
  try {
    return readFileSync(STAMP, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Every file of the console's sources, relative to the root. */
function consoleInputs() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else files.push(path);
    }
  };
  walk(CONSOLE_SOURCE);
  return { compile: [], copy: [...CONSOLE_CONFIG_FILES, ...files.sort()] };
}

const readConsoleStamp = () => {
  try {
    return readFileSync(CONSOLE_STAMP, 'utf8').trim();
  } catch {
    return null;
  }
};

const isConsoleFresh = () => readConsoleStamp() === fingerprint(consoleInputs());

/** True when dist/ holds a build of exactly the inputs on disk now, the console's included. */
export function isBuildFresh() {
  return readStamp() === fingerprint(inputs()) && isConsoleFresh();
}

/**
 * Builds the console with Vite into dist/console, in a child process (Vite's bundler does not run inside a test
 * runner's module sandbox). Vite is a development dependency: an install without them (`--omit=dev`) keeps whatever
 * console was built before, and says so.
 */
async function buildConsole() {
  let viteBin;
  try {
    viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    console.error('vite is not installed (npm install without --omit=dev): the web console was not rebuilt');
    return;
  }
  rmSync(CONSOLE_STAMP, { force: true });
  const stamp = fingerprint(consoleInputs());
  const config = join(ROOT, CONSOLE_SOURCE, 'vite.config.js');
  const result = spawnSync(process.execPath, [viteBin, 'build', '--config', config, '--logLevel', 'warn'], {
    cwd: ROOT,
    // Vite bundles for the caller's NODE_ENV: a rebuild started by the tests (NODE_ENV=test) would otherwise ship
    // React's development build, which `npm start` then serves.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`the console's build failed (vite exited with ${result.status})`);
  compressAssets(join(CONSOLE_DIST, 'assets'));
  writeAtomically(CONSOLE_STAMP, `${stamp}\n`);
}

/** Brotli and gzip copies beside each script and style sheet, which the API sends to browsers that accept them. */
function compressAssets(dir) {
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css|svg|json)$/.test(name)) continue;
    const content = readFileSync(join(dir, name));
    writeFileSync(
      join(dir, `${name}.br`),
      brotliCompressSync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(join(dir, `${name}.gz`), gzipSync(content, { level: 9 }));
  }
}

function writeAtomically(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

/** tsconfig.json's `paths`, read as JSON (comments and trailing commas tolerated), plus the generic `@app/*`. */
function aliasPaths() {
  const text = readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/,(\s*[}\]])/g, '$1');
  const paths = { ...(JSON.parse(text).compilerOptions?.paths ?? {}) };
  paths['@app/*'] ??= ['./libs/*/src/index.ts'];
  return paths;
}

/** Compiles every input into dist/ and removes outputs whose source is gone. Returns the number of files written. */
export async function build() {
  const { transformFile } = await import('@swc/core');
  const files = inputs();
  const stamp = fingerprint(files);
  rmSync(STAMP, { force: true });
  const options = {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
      baseUrl: ROOT,
      paths: aliasPaths(),
    },
    module: { type: 'es6', resolveFully: true },
    sourceMaps: true,
    swcrc: false,
    configFile: false,
  };
  const written = new Set();
  await Promise.all(
    files.compile.map(async (path) => {
      const out = join(DIST, path.replace(/\.ts$/, '.js'));
      const result = await transformFile(join(ROOT, path), {
        ...options,
        filename: join(ROOT, path),
        outputPath: out,
        sourceFileName: toPosix(relative(dirname(out), join(ROOT, path))),
      });
      const mapName = `${out.split(sep).pop()}.map`;
      writeAtomically(out, `${result.code}\n//# sourceMappingURL=${mapName}\n`);
      writeAtomically(`${out}.map`, result.map ?? '');
      written.add(out).add(`${out}.map`);
    }),
  );
  for (const path of files.copy) {
    const out = join(DIST, path);
    writeAtomically(out, readFileSync(join(ROOT, path)));
    written.add(out);
  }
  removeOrphans(DIST, written);
  if (!isConsoleFresh()) await buildConsole();
  writeAtomically(STAMP, `${stamp}\n`);
  return written.size;
}

/** Deletes files in dist/ that this build did not write (a renamed or deleted source), keeping solc's cache. */
function removeOrphans(dir, written) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'build' && toPosix(relative(DIST, dir)) === 'contracts') continue;
      if (path === CONSOLE_DIST) continue;
      removeOrphans(path, written);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true, force: true });
    } else if (!written.has(path) && path !== STAMP && path !== CONSOLE_STAMP && !path.endsWith('.tmp')) {
      // (a .tmp file is another build's write in flight, renamed a moment later)
      rmSync(path, { force: true });
    }
  }
}

const LOCK = join(ROOT, '.build-lock');
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Runs `work` while holding the build lock (a directory, created atomically), so that processes starting at once
 * (test files in parallel, the CLI beside `npm start`) do not build into dist/ together. A lock older than five
 * minutes is taken to be left by a killed build and removed.
 */
async function withBuildLock(work) {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS)
          rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds when dist/ is missing or stale (checked again under the lock); returns whether it built. */
export async function ensureBuilt() {
  if (isBuildFresh()) return false;
  return withBuildLock(async () => {
    if (isBuildFresh()) return false;
    await build();
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { exitUnlessSupportedNode } = await import('./node-version.js');
  exitUnlessSupportedNode();
  const started = performance.now();
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && isBuildFresh()) process.exit(0);
  const count = await withBuildLock(async () => (ifStale && isBuildFresh() ? null : build()));
  if (count === null) process.exit(0);
  console.error(`built dist/ (${count} files) in ${Math.round(performance.now() - started)} ms`);
}
