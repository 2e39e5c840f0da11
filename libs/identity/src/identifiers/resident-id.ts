const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check digit of GB 11643-1999 (ISO 7064 MOD 11-2) over the first 17 digits. */
export function residentIdCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Why a resident ID number is wrong, or null when valid. `today` bounds the birth date. */
export function residentIdProblem(id: string, today: Date): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits and a digit or X';
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const real =
    birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!real || year < 1900 || birth.getTime() > today.getTime())
    return 'birth date (digits 7–14) is not a real date';
  if (residentIdCheckDigit(id.slice(0, 17)) !== id[17]) return 'check digit does not match (GB 11643)';
  return null;
}

/** Shows the region and the last two characters only: the number is personal information. */
export const maskResidentId = (id: string): string => `${id.slice(0, 6)}**********${id.slice(16)}`;
