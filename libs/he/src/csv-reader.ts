/**
 * Receives the fields of each CSV record as views into the text being scanned: field `index` of the
 * current record is `src.slice(start, end)`, but no substring is made unless the consumer makes one
 * (fields that span chunks or contain quotes arrive as a string of their own).
 */
export interface CsvSink {
  field(index: number, src: string, start: number, end: number): void;
  /** End of a record of `fields` fields. Blank lines (one empty field) are not reported. */
  record(fields: number): void;
}

/**
 * A resumable RFC 4180 scanner (quoted fields, doubled quotes, CRLF, LF or CR, newlines inside
 * quotes): feed it text of any chunking with `push`, then call `end`. It allocates nothing per
 * unquoted field; memory is bounded by the longest field that spans a chunk boundary.
 */
export class CsvScanner {
  /** Text of the current field carried over from earlier chunks or unescaped from quotes. */
  private field = '';
  private inQuotes = false;
  /** Saw a quote inside a quoted field: either an escaped quote or the closing one. */
  private quotePending = false;
  private sawAny = false;
  private index = 0;
  private firstEmpty = false;

  constructor(private readonly sink: CsvSink) {}

  /** Scans `text[from, to)`. */
  push(text: string, from = 0, to = text.length): void {
    let i = from;
    let start = from;
    while (i < to) {
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (text.charCodeAt(i) === 34) {
            this.field += '"';
            start = ++i;
            continue;
          }
          this.inQuotes = false; // the quote closed the field: go on as unquoted text
        } else {
          let q = i;
          while (q < to && text.charCodeAt(q) !== 34) q++; // bounded by the slice, unlike indexOf
          if (q === to) break;
          this.field += text.slice(start, q);
          this.quotePending = true;
          start = i = q + 1;
          continue;
        }
      }
      this.sawAny = true;
      let c = text.charCodeAt(i);
      if (c === 34 && start === i && this.field === '') {
        this.inQuotes = true;
        start = ++i;
        continue;
      }
      // Unquoted text: a quote not at the start of a field is an ordinary character.
      while (c !== 44 && c !== 10 && c !== 13) {
        if (++i === to) break;
        c = text.charCodeAt(i);
      }
      if (i === to) break;
      this.emit(text, start, i);
      if (c !== 44) {
        if (c === 13 && i + 1 < to && text.charCodeAt(i + 1) === 10) i++;
        this.endRecord();
      }
      start = ++i;
    }
    if (start < to) this.field += text.slice(start, to);
  }

  /** Ends the input; throws if it stops inside a quoted field. */
  end(): void {
    if (this.inQuotes && !this.quotePending) throw new Error('CSV ends inside a quoted field');
    if (this.sawAny || this.field !== '' || this.index > 0) {
      this.emit('', 0, 0);
      this.endRecord();
    }
    this.inQuotes = this.quotePending = false;
  }

  private emit(text: string, start: number, end: number): void {
    let empty = start === end;
    if (this.field === '') this.sink.field(this.index, text, start, end);
    else {
      const s = this.field + text.slice(start, end);
      this.field = '';
      empty = false;
      this.sink.field(this.index, s, 0, s.length);
    }
    if (this.index === 0) this.firstEmpty = empty;
    this.index++;
  }

  private endRecord(): void {
    const fields = this.index;
    this.index = 0;
    this.sawAny = false;
    if (!(fields === 1 && this.firstEmpty)) this.sink.record(fields);
  }
}

/** Feeds text or UTF-8 byte chunks (decoded strictly) to a scanner in slices of at most `step` characters. */
export async function scanCsv(
  source: AsyncIterable<string | Uint8Array>,
  scanner: CsvScanner,
  afterSlice: () => void | Promise<void>,
  step = 1 << 16,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const feed = async (text: string) => {
    for (let at = 0; at < text.length; at += step) {
      scanner.push(text, at, Math.min(text.length, at + step));
      await afterSlice();
    }
  };
  for await (const chunk of source) {
    await feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  await feed(decoder.decode());
  scanner.end();
  await afterSlice();
}

/**
 * Streams CSV records (RFC 4180: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes)
 * from text or byte chunks of any size; memory is bounded by the longest record.
 */
export async function* readCsvRecords(source: AsyncIterable<string | Uint8Array>): AsyncGenerator<string[]> {
  let record: string[] = [];
  let out: string[][] = [];
  const scanner = new CsvScanner({
    field: (i, src, start, end) => {
      if (i === 0) record = []; // a blank line's lone empty field is dropped here
      record.push(src.slice(start, end));
    },
    record: () => void out.push(record),
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of source) {
    scanner.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* out;
    out = [];
  }
  scanner.push(decoder.decode());
  scanner.end();
  yield* out;
}
