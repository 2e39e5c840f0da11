import canonicalize from 'canonicalize';
import { serializeEntryJcs, serializeJcs } from './entry-serializer.js';
import type { JsonValue, LedgerEntry } from './ledger-entry.js';

/** Deterministic random JSON values with awkward keys, strings and numbers. */
function randomJson(seed: number): () => JsonValue {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const strings = [
    '',
    'a',
    'é',
    '€',
    '😀',
    '\u0000',
    '\u001f',
    '"',
    '\\',
    '\u2028',
    'B',
    'aa',
    '\ud7ff',
    '\ue000',
    'key with space',
  ];
  const numbers = [
    0,
    -0,
    1,
    -1,
    0.1,
    1e21,
    1e-7,
    123456789012345680000,
    5e-324,
    Number.MAX_SAFE_INTEGER,
    2 ** 53 + 2,
    -1.5e300,
  ];
  const value = (depth: number): JsonValue => {
    const kind = Math.floor(next() * (depth > 3 ? 4 : 6));
    if (kind === 0) return null;
    if (kind === 1) return next() < 0.5;
    if (kind === 2) return numbers[Math.floor(next() * numbers.length)];
    if (kind === 3)
      return strings[Math.floor(next() * strings.length)] + strings[Math.floor(next() * strings.length)];
    if (kind === 4) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const object: Record<string, JsonValue> = {};
    for (let i = Math.floor(next() * 5); i > 0; i--)
      object[strings[Math.floor(next() * strings.length)] + String(i % 2 ? i : '')] = value(depth + 1);
    return object;
  };
  return () => value(0);
}

describe('serializeJcs', () => {
  it('is byte-equal to canonicalize on random JSON values', () => {
    const generate = randomJson(12345);
    for (let i = 0; i < 3000; i++) {
      const value = generate();
      expect(serializeJcs(value)).toBe(canonicalize(value));
    }
  });

  it('is byte-equal to canonicalize on entries', () => {
    const generate = randomJson(777);
    for (let i = 0; i < 500; i++) {
      const entry: LedgerEntry = {
        index: i * 7919,
        time: new Date(i * 86_400_123).toISOString(),
        actor:
          i % 3
            ? { accountId: `a${i}`, organisationId: i % 2 ? null : 'o€' }
            : { accountId: null, organisationId: null },
        action: 'account.roleGranted',
        subjectIds: [`s${i}`, '😀'],
        payload: generate(),
      };
      expect(serializeEntryJcs(entry)).toBe(canonicalize(entry));
    }
  });
});
