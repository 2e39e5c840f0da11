import { creditCodeCheckCharacter, creditCodeProblem } from './credit-code.js';
import { maskResidentId, residentIdCheckDigit, residentIdProblem } from './resident-id.js';

const today = new Date('2026-11-22T00:00:00Z');

describe('unified social credit code (GB 32100-2015)', () => {
  // Published codes of real enterprises and the standard's own example.
  it.each(['914403001922038216', '91350100M000100Y43', '91110000802100433B'])('accepts %s', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
  });

  it('refuses every single-character change of the check character', () => {
    const good = '914403001922038216';
    for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
      if (c === good[17]) continue;
      expect(creditCodeProblem(good.slice(0, 17) + c)).toMatch(/check character/);
    }
  });

  it('catches a transposition of two body characters', () => {
    expect(creditCodeProblem('914403001922038126')).toMatch(/check character/);
  });

  it.each([
    ['91440300192203821', /18 characters/],
    ['9144030019220382160', /18 characters/],
    ['91440300I922038216', /outside GB 32100/],
    ['9144A3001922038216', /outside GB 32100/],
    ['914403001922o38216', /outside GB 32100/],
  ])('refuses %s', (code, why) => expect(creditCodeProblem(code)).toMatch(why));

  it('computes check characters that validate', () => {
    const body = '91310000MA1FL8XQ3';
    expect(creditCodeProblem(body + creditCodeCheckCharacter(body))).toBeNull();
  });
});

describe('resident ID number (GB 11643-1999)', () => {
  // The standard's examples.
  it('accepts the example of the standard', () => {
    expect(residentIdProblem('11010519491231002X', today)).toBeNull();
  });

  it('refuses a lowercase x (callers normalise before asking)', () => {
    expect(residentIdProblem('11010519491231002x', today)).toMatch(/17 digits/);
  });

  it('refuses a birth year before 1900', () => {
    expect(residentIdProblem('440524188001010014', today)).toMatch(/birth date/);
  });

  it('refuses every wrong check digit', () => {
    const body = '11010519491231002';
    for (const c of '0123456789X') {
      if (c === residentIdCheckDigit(body)) continue;
      expect(residentIdProblem(body + c, today)).toMatch(/check digit/);
    }
  });

  it.each([
    ['1101051949123100', /17 digits/],
    ['110105194902300000', /birth date/],
    ['110105189912310000', /birth date/],
    ['110105203001010000', /birth date/],
  ])('refuses %s', (id, why) => {
    const body = id.slice(0, 17);
    const withCheck = /^\d{17}$/.test(body) && id.length === 18 ? body + residentIdCheckDigit(body) : id;
    expect(residentIdProblem(withCheck, today)).toMatch(why);
  });

  it('masks all but the region and the last two characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105**********2X');
  });
});
