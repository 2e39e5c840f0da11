import type { buyer as zh } from '../zh/buyer';
import type { Translation } from '../translation';

export const buyer: Translation<typeof zh> = {
  'nav.buyer': 'Buyer',
};
