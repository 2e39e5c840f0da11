import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file.js';
import { loadConfig } from './config.js';
import { loadSecretBox } from './secret-box.provider.js';

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dx-atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the whole content owner-only and leaves no temporary file', () => {
    const path = join(dir, 'key');
    writeFileAtomically(path, 'secret-bytes');
    expect(readFileSync(path, 'utf8')).toBe('secret-bytes');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['key']);
  });

  it('replaces an existing file, or refuses it with EEXIST when exclusive', () => {
    const path = join(dir, 'key');
    writeFileSync(path, 'old');
    expect(() => writeFileAtomically(path, 'new', { exclusive: true })).toThrow(
      expect.objectContaining({ code: 'EEXIST' }) as Error,
    );
    expect(readFileSync(path, 'utf8')).toBe('old');
    writeFileAtomically(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['key']);
  });
});

describe('loadSecretBox key file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dx-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const config = () => loadConfig({ NODE_ENV: 'test', DATA_DIR: dir });

  it('keeps the key it created across starts', () => {
    const first = loadSecretBox(config()).digest('x', 'c');
    expect(readFileSync(join(dir, 'app-secret.key'), 'utf8')).toHaveLength(44);
    expect(loadSecretBox(config()).digest('x', 'c')).toBe(first);
  });

  it('replaces the empty key file a full disk used to leave, instead of failing every start', () => {
    writeFileSync(join(dir, 'app-secret.key'), '');
    loadSecretBox(config());
    expect(Buffer.from(readFileSync(join(dir, 'app-secret.key'), 'utf8'), 'base64')).toHaveLength(32);
  });
});
