/**
 * What must never reach a log line, removed from any text before it is written: bearer credentials and the exchange's
 * own tokens, the values of password/secret/token/TOTP-like fields, passwords in URLs, and the values that a database
 * error's SQL or detail inlines (string literals, `Key (column)=(value)`). Over-redacting is the accepted failure mode.
 */
const REDACTED = '[redacted]';

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** The exchange's session and API tokens: `dxs_…`, `dxt_…` (see newSecretToken). */
const EXCHANGE_TOKEN = /\b(dx[a-z])_[A-Za-z0-9_-]{16,}/g;
const SECRET_FIELD =
  /(\b[\w-]*(?:password|passphrase|secret|token|totp|otp|seed|privatekey|private_key|authorization|cookie|apikey|api_key)\b["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&)}\]]+)/gi;
const URL_PASSWORD = /\/\/([^:/@\s]+):[^@/\s]*@/g;
const SQL_STATEMENT = /\b(select|insert\s+into|update|delete\s+from|values|where|returning)\b/i;
const SQL_STRING = /(?<![A-Za-z0-9_])([xXeE]?)'(?:[^']|'')*'/g;
const KEY_DETAIL = /(Key \([^)]*\)=\()[^)]*(\))/g;

export function redactSecrets(text: string): string {
  const redacted = text
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(EXCHANGE_TOKEN, (_m, prefix: string) => `${prefix}_${REDACTED}`)
    .replace(SECRET_FIELD, (_m, key: string) => `${key}${REDACTED}`)
    .replace(URL_PASSWORD, (_m, user: string) => `//${user}:${REDACTED}@`)
    .replace(KEY_DETAIL, `$1${REDACTED}$2`);
  return redacted
    .split('\n')
    .map((line) => (SQL_STATEMENT.test(line) ? line.replace(SQL_STRING, `$1'${REDACTED}'`) : line))
    .join('\n');
}
