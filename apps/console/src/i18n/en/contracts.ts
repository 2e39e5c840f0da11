import type { contracts as zh } from '../zh/contracts';
import type { Translation } from '../translation';

export const contracts: Translation<typeof zh> = {
  'nav.contracts': 'Contracts and settlement',
};
