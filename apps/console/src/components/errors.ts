import { ApiError } from '../api/client';
import type { Translate } from '../i18n/i18n';

/** The API's own message (with the article of a rule's refusal), or what went wrong on the way to it. */
export function describeError(error: unknown, t: Translate): string {
  if (error instanceof ApiError) return error.article ? `${error.message} (${error.article})` : error.message;
  if (error instanceof TypeError) return t('app.networkError', { message: error.message });
  return error instanceof Error ? error.message : String(error);
}
