/** The contracts pages' words (merchants and buyers alike). */
export const contracts = {
  'nav.contracts': '合同与结算',
} as const;
