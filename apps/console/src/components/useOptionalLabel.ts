import { useCallback } from 'react';
import { catalogs } from '../i18n/catalog';
import { useI18n } from '../i18n/i18n';

/**
 * A label for a value the API may grow (a state, a review decision, a kind): the catalogue's words under
 * `<prefix>.<value>` when it has them, else the value itself.
 */
export function useOptionalLabel() {
  const { tDynamic } = useI18n();
  return useCallback(
    (prefix: string, value: string) =>
      `${prefix}.${value}` in catalogs.zh ? tDynamic(`${prefix}.${value}`) : value,
    [tDynamic],
  );
}
