/** The merchant pages' words. */
export const merchant = {
  'nav.merchant': '数据商',
} as const;
