/**
 * The console's two catalogues: the same keys, none empty, placeholders kept, and no Chinese left in the English one.
 * (The type checker already refuses an English file that lacks a key; this also catches two areas claiming one key.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const I18N = fileURLToPath(new URL('../../apps/console/src/i18n', import.meta.url));
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

let zh: Record<string, string>;
let en: Record<string, string>;
beforeAll(async () => {
  // Not a static import: the console is compiled by its own tsconfig (bundler resolution), not the server's.
  ({ zh, en } = await import(join(I18N, 'catalog.ts')));
});

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the console message catalogues', () => {
  it('give every key in both languages, with the same placeholders, and nothing empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const key of Object.keys(zh)) {
      expect([key, zh[key].trim().length > 0, en[key].trim().length > 0]).toEqual([key, true, true]);
      expect([key, placeholders(en[key])]).toEqual([key, placeholders(zh[key])]);
    }
  });

  it('keep English free of Chinese, except the switch that names the other language', () => {
    const chinese = Object.entries(en).filter(([key, text]) => CJK.test(text) && key !== 'app.language');
    expect(chinese).toEqual([]);
  });

  it('never let two areas claim one key', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const file of readdirSync(join(I18N, 'zh'))) {
      const text = readFileSync(join(I18N, 'zh', file), 'utf8');
      for (const [, key] of text.matchAll(/^\s+'([\w.-]+)':/gm)) {
        if (seen.has(key)) clashes.push(`${key} in ${seen.get(key)} and ${file}`);
        seen.set(key, file);
      }
    }
    expect(clashes).toEqual([]);
  });
});
