import { App } from 'antd';
import { useCallback, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { describeError } from './errors';

/**
 * Runs an action with its progress shown (`running` for the button's spinner) and its outcome told: the API's
 * message when refused, "done" (or `success`) when it went through. Returns the action's value, or undefined if it failed.
 */
export function useAction<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
  success?: string | ((result: R) => string),
) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setRunning(true);
      setError(null);
      try {
        const result = await action(...args);
        const text = typeof success === 'function' ? success(result) : (success ?? t('app.done'));
        void message.success(text);
        return result;
      } catch (caught) {
        const text = describeError(caught, t);
        setError(text);
        void message.error(text);
        return undefined;
      } finally {
        setRunning(false);
      }
    },
    [action, success, message, t],
  );
  return { run, running, error };
}
