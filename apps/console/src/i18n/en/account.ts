import type { account as zh } from '../zh/account';
import type { Translation } from '../translation';

export const account: Translation<typeof zh> = {
  'nav.account': 'Account settings',
};
