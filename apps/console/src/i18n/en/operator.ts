import type { operator as zh } from '../zh/operator';
import type { Translation } from '../translation';

export const operator: Translation<typeof zh> = {
  'nav.operator': 'Operator review',
};
