/**
 * Streams CSV records (RFC 4180: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes)
 * from text or byte chunks of any size; memory is bounded by the longest record.
 */
export async function* readCsvRecords(source: AsyncIterable<string | Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quotePending = false; // saw a quote inside a quoted field: either an escaped quote or the closing one
  let sawAny = false;

  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const out: string[][] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (c === 34) {
            field += '"';
            start = i + 1;
            continue;
          }
          inQuotes = false;
        } else {
          if (c === 34) {
            field += text.slice(start, i);
            quotePending = true;
            start = i + 1;
          }
          continue;
        }
      }
      sawAny = true;
      if (c === 34 && field === '' && start === i) {
        inQuotes = true;
        start = i + 1;
      } else if (c === 44) {
        record.push(field + text.slice(start, i));
        field = '';
        start = i + 1;
      } else if (c === 10 || c === 13) {
        record.push(field + text.slice(start, i));
        field = '';
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        if (!(record.length === 1 && record[0] === '')) out.push(record);
        record = [];
        sawAny = false;
      }
    }
    field += text.slice(start);
    yield* out;
  }
  if (inQuotes && !quotePending) throw new Error('CSV ends inside a quoted field');
  if (sawAny || field !== '' || record.length > 0) {
    record.push(field);
    if (!(record.length === 1 && record[0] === '')) yield record;
  }
}
