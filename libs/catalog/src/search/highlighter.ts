import { isCjk, normalise, runs, type ParsedQuery } from './tokeniser.js';

/**
 * Highlights are HTML fragments: the field's text with every character that means something in HTML escaped
 * (`& < > " '`), and the matched words wrapped in `<mark>`…`</mark>`, the only markup ever returned.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** How many characters of the description a highlight shows, around its first match. */
export const SNIPPET_LENGTH = 160;

type Span = [start: number, end: number];

const normalised = new Map<string, string>();

/** One code point normalised, remembered: a catalogue uses a few thousand distinct characters. */
function normaliseChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch;
  if (code >= 0x4e00 && code <= 0x9fff) return ch; // CJK ideographs: NFKC and lower case leave them alone
  let n = normalised.get(ch);
  if (n === undefined) {
    n = normalise(ch);
    if (normalised.size < 65_536) normalised.set(ch, n);
  }
  return n;
}

/**
 * The text normalised one code point at a time, with each normalised UTF-16 unit's source range (null when every
 * character kept its length, so offsets are the same in both): matches are found in the normalised text and marked
 * in the original. (Per code point, not per string: a combining sequence may normalise a little differently from the
 * tokeniser's whole-string NFKC; that affects only which characters are marked, never which listings match.)
 */
function mapped(text: string): { norm: string; from: number[] | null; to: number[] | null } {
  const parts: string[] = [];
  let same = true;
  for (const ch of text) {
    const n = normaliseChar(ch);
    parts.push(n);
    if (n.length !== ch.length) same = false;
  }
  const norm = parts.join('');
  if (same) return { norm, from: null, to: null };
  const from: number[] = [];
  const to: number[] = [];
  let offset = 0;
  let i = 0;
  for (const ch of text) {
    const n = parts[i++];
    for (let k = 0; k < n.length; k++) {
      from.push(offset);
      to.push(offset + ch.length);
    }
    offset += ch.length;
  }
  return { norm, from, to };
}

function occurrences(haystack: string, needle: string): Span[] {
  const out: Span[] = [];
  if (!needle) return out;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length))
    out.push([i, i + needle.length]);
  return out;
}

/** The spans (in the original text) of the words and CJK runs of the query. */
export function matchSpans(text: string, query: ParsedQuery): Span[] {
  if (query.required.length === 0) return [];
  const { norm, from, to } = mapped(text);
  const spans: Span[] = [];
  const words = new Map<string, boolean>(); // Latin token → matches as a prefix?
  for (const term of query.required)
    if (!isCjk(term.token)) words.set(term.token, term.prefix || (words.get(term.token) ?? false));
  for (const word of query.cjkWords) {
    const whole = occurrences(norm, word);
    if (whole.length) {
      spans.push(...whole);
      continue;
    }
    // The word is not there whole: the listing matched on its pieces; mark those.
    const chars = [...word];
    for (let j = 0; j + 1 < chars.length; j++) spans.push(...occurrences(norm, chars[j] + chars[j + 1]));
  }
  if (words.size) {
    let at = 0;
    for (const part of runs(norm)) {
      const start = norm.indexOf(part.text, at);
      at = start + part.text.length;
      if (part.kind !== 'word') continue;
      for (const [token, prefix] of words) {
        if (part.text === token || (prefix && part.text.startsWith(token))) {
          spans.push([start, start + part.text.length]);
          break;
        }
      }
    }
  }
  // Back to the original text, sorted and merged.
  const original = spans
    .filter(([s, e]) => e > s)
    .map(([s, e]): Span => (from && to ? [from[s], to[e - 1]] : [s, e]))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Span[] = [];
  for (const span of original) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

function mark(text: string, spans: Span[], start: number, end: number): string {
  let out = '';
  let at = start;
  for (const [s0, e0] of spans) {
    const s = Math.max(s0, start);
    const e = Math.min(e0, end);
    if (e <= s) continue;
    out += escapeHtml(text.slice(at, s)) + '<mark>' + escapeHtml(text.slice(s, e)) + '</mark>';
    at = e;
  }
  return out + escapeHtml(text.slice(at, end));
}

/** The whole title, escaped, with its matches marked. */
export function highlightTitle(title: string, query: ParsedQuery): string {
  return mark(title, matchSpans(title, query), 0, title.length);
}

/**
 * A snippet of at most SNIPPET_LENGTH characters of the description, escaped, with its matches marked: from a little
 * before the first match (or the start), with `…` where text was left out.
 */
export function highlightDescription(description: string, query: ParsedQuery): string {
  const spans = matchSpans(description, query);
  if (description.length <= SNIPPET_LENGTH) return mark(description, spans, 0, description.length);
  let start = spans.length ? Math.max(0, spans[0][0] - 20) : 0;
  // Never cut a surrogate pair in half.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(description[start])) start--;
  let end = Math.min(description.length, start + SNIPPET_LENGTH);
  if (end < description.length && /[\uDC00-\uDFFF]/.test(description[end])) end++;
  return (
    (start > 0 ? '…' : '') + mark(description, spans, start, end) + (end < description.length ? '…' : '')
  );
}
