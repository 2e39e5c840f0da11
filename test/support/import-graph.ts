import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `@app/…` resolved exactly as the build resolves it: through tsconfig.json's paths. */
const aliases = (
  JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;

const IMPORT = /(?:import|export)\s[^;]*?from\s+'([^']+)'|import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
/** A worker or other module started from a file URL: `new URL('./x.ts', import.meta.url)`, either spelling. */
const MODULE_URL = /new URL\(([^)]*?),\s*import\.meta\.url\)/g;
/** A dynamic import of a computed specifier: the graph could not follow it, so it is refused. */
const COMPUTED_IMPORT = /\bimport\(\s*[^'\s)]/;

/**
 * The static import graph from entry files: every local file (absolute path) and every package or `node:` module
 * (its specifier) reachable through imports, re-exports, string-literal dynamic imports and module URLs (worker
 * entries). Relative `.js` resolves to `.ts`, `@app/<lib>` through tsconfig's paths. Packages are leaves. A file
 * importing a computed specifier (`import(name)`) throws: the graph would be incomplete.
 */
export function importGraph(...entries: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue;
    const src = readFileSync(file, 'utf8');
    if (COMPUTED_IMPORT.test(src))
      throw new Error(`${file}: a dynamic import of a computed specifier escapes the graph`);
    const local = (spec: string) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    for (const m of src.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) stack.push(local(spec));
      else if (spec.startsWith('@app/')) {
        const target = aliases[spec]?.[0];
        if (!target) throw new Error(`${file}: ${spec} is not an entry point in tsconfig.json`);
        stack.push(join(root, target));
      } else stack.push(spec);
    }
    for (const m of src.matchAll(MODULE_URL))
      for (const literal of m[1].matchAll(/'(\.{1,2}\/[^']+\.[jt]s)'/g)) {
        const target = local(literal[1]);
        if (existsSync(target)) stack.push(target);
      }
  }
  return seen;
}

/** The repository root, for building expected paths. */
export const repositoryRoot = root;

/**
 * What an offline tool's import graph reaches that it must not: Nest or MikroORM, a database or queue driver, any
 * file of `lib` outside its framework-free `core/`, and the database lib. Every list is empty for a clean graph.
 */
export function outsideFrameworkFreeCore(graph: Set<string>, lib: string) {
  const libDir = join(root, 'libs', lib, 'src');
  const reached = [...graph];
  return {
    frameworks: reached.filter((module) => /^@(nestjs|mikro-orm)\//.test(module)),
    drivers: reached.filter((module) => /^(pg|better-sqlite3|ioredis|bullmq|reflect-metadata)$/.test(module)),
    libOutsideCore: reached.filter(
      (file) => file.startsWith(libDir + sep) && !file.startsWith(join(libDir, 'core') + sep),
    ),
    database: reached.filter((file) => file.startsWith(join(root, 'libs/database'))),
  };
}
