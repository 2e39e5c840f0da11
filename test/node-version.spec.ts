import { readFileSync } from 'node:fs';
import { nodeVersionProblem, requiredNodeMajor } from '../scripts/node-version.js';

const root = new URL('..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('the Node.js check run before install, start, the CLI and the worker', () => {
  it('refuses an older Node.js with one line naming the version needed and where to get it', () => {
    for (const old of ['20.20.2', 'v22.17.0', '23.11.1']) {
      const message = nodeVersionProblem(old, 24);
      expect(message).not.toBeNull();
      expect(message).not.toContain('\n');
      expect(message).toContain('Node.js 24 or newer');
      expect(message).toContain(old.replace(/^v/, ''));
      expect(message).toContain('https://nodejs.org/');
    }
  });

  it('accepts the required major version and newer ones', () => {
    for (const ok of ['24.0.0', 'v24.22.3', '25.1.0']) expect(nodeVersionProblem(ok, 24)).toBeNull();
  });

  it('takes the requirement from engines.node, the one requirement the README states and npm enforces', () => {
    const required = requiredNodeMajor();
    expect(JSON.parse(read('package.json')).engines.node).toBe(`>=${required}`);
    expect(read('.npmrc')).toMatch(/^engine-strict=true$/m);
    const stated = [...read('README.md').matchAll(/Node\.js (\d+)/g)].map((m) => Number(m[1]));
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([required]));
    expect(() => requiredNodeMajor({ node: '^24' })).toThrow(/engines\.node/);
  });
});
