import { useCallback } from 'react';
import { useOptionalLabel } from './useOptionalLabel';

/**
 * A label for a value from data (a state, a level, a kind): the catalogue's words under `regulator.<group>.<value>`,
 * or the value itself when it is one the catalogue does not know (an industry, a pricing mode added later).
 */
export function useLabel() {
  const label = useOptionalLabel();
  return useCallback(
    (group: string, value: string | number | null | undefined): string =>
      value === null || value === undefined ? '—' : label(`regulator.${group}`, String(value)),
    [label],
  );
}
