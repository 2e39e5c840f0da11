import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `@nestjs/swagger` names a schema after its class, and a second class of the same name silently replaces the first
 * in `/openapi.json`: a typed client generated from it would then read one route's answer with another's type. So
 * every class the API's modules export has a name of its own.
 */
const API = fileURLToPath(new URL('../apps/api/src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && entry.name !== 'main.ts'
      ? [path]
      : [];
  });
}

describe('the OpenAPI schema names', () => {
  it('name one class each across the API', async () => {
    const owners = new Map<string, { cls: unknown; file: string }[]>();
    for (const file of sources(API)) {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== 'function' || !/^class\s/.test(Function.prototype.toString.call(value)))
          continue;
        const list = owners.get(name) ?? [];
        if (!list.some((o) => o.cls === value)) list.push({ cls: value, file: relative(API, file) });
        owners.set(name, list);
      }
    }
    const clashes = [...owners]
      .filter(([, list]) => list.length > 1)
      .map(([name, list]) => `${name}: ${list.map((o) => o.file).join(', ')}`);
    expect(owners.size).toBeGreaterThan(100);
    expect(clashes).toEqual([]);
  }, 120_000);
});
