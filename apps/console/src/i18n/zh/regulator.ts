/** The regulator pages' words. */
export const regulator = {
  'nav.regulator': '监管',
} as const;
