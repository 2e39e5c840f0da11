import { decodeLeafInput, encodeLeafInput } from './leaf-encoding.js';
import { LedgerError } from './ledger-error.js';
import type { LedgerEntry } from './ledger-entry.js';

const entry: LedgerEntry = {
  index: 7,
  time: '2025-03-04T05:06:07.890Z',
  actor: { accountId: 'acc_1', organisationId: null },
  action: 'account.roleGranted',
  subjectIds: ['acc_1', 'role_x'],
  payload: { role: 'admin', grantedBy: ['acc_0'], level: 3, nested: { z: 1, a: [true, null] } },
};

describe('encodeLeafInput', () => {
  it('round-trips through decodeLeafInput', () => {
    expect(decodeLeafInput(encodeLeafInput(entry))).toEqual(entry);
  });

  it('does not depend on property order', () => {
    const reordered = JSON.parse(
      JSON.stringify({
        payload: entry.payload,
        subjectIds: entry.subjectIds,
        action: entry.action,
        actor: { organisationId: null, accountId: 'acc_1' },
        time: entry.time,
        index: entry.index,
      }),
    ) as LedgerEntry;
    expect(Buffer.from(encodeLeafInput(reordered))).toEqual(Buffer.from(encodeLeafInput(entry)));
  });

  it('accepts every toISOString() form, including leap days and year 0', () => {
    for (const time of [
      '2024-02-29T23:59:59.999Z',
      '2000-02-29T00:00:00.000Z',
      '0000-02-29T00:00:00.000Z',
      new Date(0).toISOString(),
    ]) {
      expect(new Date(time).toISOString()).toBe(time);
      expect(() => encodeLeafInput({ ...entry, time })).not.toThrow();
    }
  });

  it('ignores properties outside the model', () => {
    const withExtra = { ...entry, id: 'db-row-1', actor: { ...entry.actor, name: 'Ann' } } as LedgerEntry;
    expect(Buffer.from(encodeLeafInput(withExtra))).toEqual(Buffer.from(encodeLeafInput(entry)));
  });

  it('changes when any field changes', () => {
    const base = Buffer.from(encodeLeafInput(entry)).toString('hex');
    const variants: LedgerEntry[] = [
      { ...entry, index: 8 },
      { ...entry, time: '2025-03-04T05:06:07.891Z' },
      { ...entry, actor: { accountId: null, organisationId: null } },
      { ...entry, actor: { accountId: null, organisationId: 'acc_1' } },
      { ...entry, action: 'account.roleRevoked' },
      { ...entry, subjectIds: ['role_x', 'acc_1'] },
      { ...entry, payload: { ...(entry.payload as object), level: 4 } },
    ];
    for (const variant of variants)
      expect(Buffer.from(encodeLeafInput(variant)).toString('hex')).not.toBe(base);
  });

  it.each<[string, Partial<Record<keyof LedgerEntry, unknown>>]>([
    ['negative index', { index: -1 }],
    ['fractional index', { index: 1.5 }],
    ['local time', { time: '2025-03-04T05:06:07.890+01:00' }],
    ['time without milliseconds', { time: '2025-03-04T05:06:07Z' }],
    ['invalid date', { time: '2025-02-30T00:00:00.000Z' }],
    ['29 February of a common year', { time: '1900-02-29T00:00:00.000Z' }],
    ['hour 24', { time: '2025-01-01T24:00:00.000Z' }],
    ['action without domain', { action: 'granted' }],
    ['action with spaces', { action: 'account.role granted' }],
    ['missing actor', { actor: undefined }],
    ['empty account id', { actor: { accountId: '', organisationId: null } }],
    ['subject id not a string', { subjectIds: [1] }],
    ['NaN in payload', { payload: { x: Number.NaN } }],
    ['undefined in payload', { payload: { x: undefined } }],
    ['Date in payload', { payload: new Date(0) }],
    ['lone surrogate in payload', { payload: '\ud800' }],
    ['lone surrogate in subject id', { subjectIds: ['a\udc00'] }],
  ])('rejects %s', (_, change) => {
    expect(() => encodeLeafInput({ ...entry, ...change } as LedgerEntry)).toThrow(LedgerError);
  });
});

describe('decodeLeafInput', () => {
  const text = (value: string): Uint8Array => new TextEncoder().encode(value);
  const canonical = new TextDecoder().decode(encodeLeafInput(entry));

  it('rejects non-canonical JSON of a valid entry', () => {
    expect(() => decodeLeafInput(text(` ${canonical}`))).toThrow(LedgerError);
    expect(() => decodeLeafInput(text(JSON.stringify(entry)))).toThrow(/canonical/);
  });

  it('rejects extra properties, invalid UTF-8 and non-JSON', () => {
    expect(() => decodeLeafInput(text(canonical.replace('{"action"', '{"a":1,"action"')))).toThrow(
      LedgerError,
    );
    expect(() => decodeLeafInput(Uint8Array.of(0x7b, 0xff, 0x7d))).toThrow(LedgerError);
    expect(() => decodeLeafInput(text('not json'))).toThrow(LedgerError);
  });
});
