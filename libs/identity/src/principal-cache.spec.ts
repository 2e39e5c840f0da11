import { PrincipalCache } from './principal-cache.js';
import type { Principal } from './principal.js';

const principal = (credentialId: string, accountId = 'acc-1', organisationId = 'org-1'): Principal => ({
  accountId,
  organisationId,
  roles: ['buyer'],
  writeRoles: ['buyer'],
  via: 'token',
  secondFactorDone: true,
  credentialId,
});

describe('PrincipalCache', () => {
  let now: number;
  let cache: PrincipalCache;
  beforeEach(() => {
    now = 1_000_000;
    cache = new PrincipalCache(() => now, 5_000, 3);
  });

  it('answers within its lifetime and forgets at its end', () => {
    cache.set('h1', principal('c1'), null, cache.begin());
    now += 4_999;
    expect(cache.get('h1')?.credentialId).toBe('c1');
    now += 1;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('counts its lifetime from the start of the lookup, not from when the answer arrived', () => {
    const lookup = cache.begin();
    now += 3_000;
    cache.set('h1', principal('c1'), null, lookup);
    now += 2_000;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('never outlives the credential itself', () => {
    cache.set('h1', principal('c1'), now + 1_000, cache.begin());
    now += 1_000;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('drops the least recently stored entry when full', () => {
    for (const n of [1, 2, 3, 4]) cache.set(`h${n}`, principal(`c${n}`), null, cache.begin());
    expect(cache.size).toBe(3);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h4')?.credentialId).toBe('c4');
  });

  it('forgets by credential, by account and by organisation', () => {
    cache.set('h1', principal('c1', 'a1', 'o1'), null, cache.begin());
    cache.set('h2', principal('c2', 'a2', 'o1'), null, cache.begin());
    cache.set('h3', principal('c3', 'a3', 'o2'), null, cache.begin());
    cache.invalidate({ kind: 'credential', id: 'c3' });
    expect(cache.get('h3')).toBeUndefined();
    expect(cache.get('h1')).toBeDefined();
    cache.invalidate({ kind: 'account', id: 'a1' });
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toBeDefined();
    cache.invalidate({ kind: 'organisation', id: 'o1' });
    expect(cache.get('h2')).toBeUndefined();
  });

  it('refuses an answer read before an invalidation, so a revocation cannot be undone by a slow lookup', () => {
    const readAt = cache.begin();
    cache.invalidate({ kind: 'credential', id: 'c1' });
    expect(cache.set('h1', principal('c1'), null, readAt)).toBe(false);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.set('h1', principal('c1'), null, cache.begin())).toBe(true);
  });
});
