import { hashPassword, verifyPassword } from './password-hasher.js';
import { base32Decode, base32Encode, hotp, matchTotp, totpAt } from './totp.js';

describe('password hashing', () => {
  it('verifies the right password, refuses a wrong one, and never stores the password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).not.toContain('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('TOTP', () => {
  // RFC 4226 appendix D: secret "12345678901234567890", counters 0..9.
  const rfc4226 = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  it('matches the HOTP test values of RFC 4226', () => {
    const secret = Buffer.from('12345678901234567890');
    rfc4226.forEach((expected, counter) => expect(hotp(secret, counter)).toBe(expected));
  });

  // RFC 6238 appendix B, SHA-1 column, last 6 digits.
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('matches RFC 6238 at t=%i', (t, code) => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    expect(totpAt(secret, new Date(t * 1000))).toBe(code);
  });

  it('round-trips base32', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 7]);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
  });

  it('accepts one step of drift, not two, and refuses malformed codes', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    const at = new Date(1_700_000_000_000);
    const code = totpAt(secret, at);
    expect(matchTotp(secret, code, new Date(at.getTime() + 30_000))).not.toBeNull();
    expect(matchTotp(secret, code, new Date(at.getTime() + 61_000))).toBeNull();
    expect(matchTotp(secret, '12345', at)).toBeNull();
    expect(matchTotp(secret, 'abcdef', at)).toBeNull();
  });
});
