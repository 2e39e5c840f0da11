import { canonicalReceiptCode, newReceiptCode, receiptHash } from './receipt-code.js';

describe('receipt codes', () => {
  it('are DXC and four groups of five Crockford base32 characters, all different', () => {
    const codes = Array.from({ length: 2000 }, newReceiptCode);
    for (const code of codes) expect(code).toMatch(/^DXC(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character position varies: the 100 bits reach all twenty places.
    for (let i = 4; i < codes[0].length; i++)
      if (codes[0][i] !== '-') expect(new Set(codes.map((c) => c[i])).size).toBeGreaterThan(20);
  });

  it('read what a person types as the same code, and refuse what cannot be one', () => {
    const code = 'DXC-7K2QF-M9XPA-0RT4B-H81WN';
    expect(canonicalReceiptCode(code)).toBe(code);
    expect(canonicalReceiptCode('dxc 7k2qf m9xpa ort4b h8lwn')).toBe(code);
    expect(canonicalReceiptCode('7K2QFM9XPA0RT4BH8IWN')).toBe(code);
    expect(canonicalReceiptCode('DXC-7K2QF-M9XPA-0RT4B-H81W')).toBeNull();
    expect(canonicalReceiptCode('DXC-7K2QF-M9XPA-0RT4B-H81UN')).toBeNull();
    expect(canonicalReceiptCode('')).toBeNull();
    expect(receiptHash(code)).toMatch(/^[0-9a-f]{64}$/);
  });
});
