/** The buyer pages' words. */
export const buyer = {
  'nav.buyer': '需方',
} as const;
