/** The operator pages' words. */
export const operator = {
  'nav.operator': '运营审核',
} as const;
