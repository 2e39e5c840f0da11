/** The account pages' words. */
export const account = {
  'nav.account': '账户设置',
} as const;
