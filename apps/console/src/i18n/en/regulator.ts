import type { regulator as zh } from '../zh/regulator';
import type { Translation } from '../translation';

export const regulator: Translation<typeof zh> = {
  'nav.regulator': 'Supervision',
};
