/** Characters of the unified social credit code (GB 32100-2015): digits and capitals without I, O, S, V, Z. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character GB 32100-2015 computes over the first 17 characters (which must use the code's alphabet). */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why a unified social credit code is wrong, or null when it is valid. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return 'must be 18 characters';
  if (!SHAPE.test(code))
    return 'uses a character outside GB 32100 (digits and capitals except I, O, S, V, Z; 3rd–8th are digits)';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17])
    return 'check character does not match (GB 32100)';
  return null;
}
