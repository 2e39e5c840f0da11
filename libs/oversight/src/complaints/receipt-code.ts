import { createHash, randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'DXC';
const GROUPS = 4;
const GROUP_LENGTH = 5;
/** 20 characters of 5 bits: 100 bits from the CSPRNG, beyond guessing even without a throttle on look-ups. */
const CODE_LENGTH = GROUPS * GROUP_LENGTH;

/** A fresh receipt code, `DXC-XXXXX-XXXXX-XXXXX-XXXXX`: shown once to the reporter, stored only as its hash. */
export function newReceiptCode(): string {
  const bytes = randomBytes(13); // 104 bits; the first 100 are used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  bits >>= 4n;
  let chars = '';
  for (let i = 0; i < CODE_LENGTH; i++) {
    chars = ALPHABET[Number(bits & 31n)] + chars;
    bits >>= 5n;
  }
  const groups = Array.from({ length: GROUPS }, (_, g) =>
    chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH),
  );
  return [PREFIX, ...groups].join('-');
}

/**
 * The canonical code for what a person typed: case, spaces and hyphens do not matter, the prefix may be left out,
 * and the letters Crockford reads as digits (O → 0, I and L → 1) are read so. Null when it cannot be a code.
 */
export function canonicalReceiptCode(typed: string): string | null {
  let chars = typed.toUpperCase().replace(/[\s-]/g, '');
  if (chars.length === PREFIX.length + CODE_LENGTH && chars.startsWith(PREFIX))
    chars = chars.slice(PREFIX.length);
  chars = chars.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (chars.length !== CODE_LENGTH || [...chars].some((c) => !ALPHABET.includes(c))) return null;
  const groups = Array.from({ length: GROUPS }, (_, g) =>
    chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH),
  );
  return [PREFIX, ...groups].join('-');
}

/** What is stored: the SHA-256 (hex) of the canonical code. */
export const receiptHash = (canonical: string): string =>
  createHash('sha256').update(canonical).digest('hex');
