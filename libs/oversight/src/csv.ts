/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF, its quotes doubled; null is empty.
 * Text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or CR; OWASP "CSV
 * injection") gets a leading `'`: titles and reasons are written by merchants, and a regulator opens the file.
 */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV: a header row of `columns`, then one row per object in `rows`, each line ended by CRLF. */
export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(row[c] as CsvValue)).join(','));
  return lines.join('\r\n') + '\r\n';
}
