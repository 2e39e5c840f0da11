import type { merchant as zh } from '../zh/merchant';
import type { Translation } from '../translation';

export const merchant: Translation<typeof zh> = {
  'nav.merchant': 'Merchant',
};
