import type { CatalogEntry } from './catalog-entry.js';
import { tokenise, type ParsedQuery } from './tokeniser.js';

/**
 * The tokens of one listing, per field: the title weighs most, then the description, then the merchant's name, the
 * industry and the guided-price category together.
 */
export interface EntryTokens {
  title: string[];
  body: string[];
  meta: string[];
}

export function entryTokens(entry: CatalogEntry): EntryTokens {
  return {
    title: tokenise(entry.title),
    body: tokenise(entry.description),
    meta: tokenise([entry.merchantName, entry.industry, entry.pricingCategory ?? ''].join(' ')),
  };
}

/** PostgreSQL keeps at most this position and this many positions per lexeme (MAXENTRYPOS, MAXNUMPOS). */
const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_LEXEME = 256;

/**
 * The PostgreSQL tsvector literal of a listing's tokens, with positions and field weights (title A, description B,
 * the rest C), to be cast with `::tsvector`: the input syntax takes lexemes as written, so PostgreSQL's text parser
 * (whose idea of a letter depends on the server's locale) never re-cuts our tokens. Tokens hold only letters and
 * digits, so none needs escaping; quotes and backslashes are escaped anyway.
 */
export function tsvectorLiteral(tokens: EntryTokens): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  const add = (list: string[], weight: 'A' | 'B' | 'C') => {
    for (const token of list) {
      position = Math.min(position + 1, MAX_POSITION);
      const at = positions.get(token) ?? [];
      if (at.length < MAX_POSITIONS_PER_LEXEME) at.push(`${position}${weight}`);
      positions.set(token, at);
    }
  };
  add(tokens.title, 'A');
  add(tokens.body, 'B');
  add(tokens.meta, 'C');
  return [...positions]
    .map(([lexeme, at]) => `'${lexeme.replace(/['\\]/g, (c) => `\\${c}`)}':${[...new Set(at)].join(',')}`)
    .join(' ');
}

const ftsString = (token: string) => `"${token.replaceAll('"', '""')}"`;

/**
 * The FTS5 MATCH expression of a query: every required token (a typed prefix as `"tok"*`), and, when the query
 * names dictionary words, an `(first OR word …)` group that cannot change which rows match (the first required token
 * is there anyway) but lets bm25 reward a listing holding the whole word. Bound as a parameter.
 */
export function ftsQuery(query: ParsedQuery): string {
  const required = query.required.map((t) => ftsString(t.token) + (t.prefix ? '*' : ''));
  if (query.boosts.length === 0) return required.join(' AND ');
  return [...required, `(${[required[0], ...query.boosts.map(ftsString)].join(' OR ')})`].join(' AND ');
}

const tsString = (token: string) => `'${token.replace(/['\\]/g, (c) => `\\${c}`)}'`;

/** The same expression as a PostgreSQL tsquery literal (`'tok' & 'pre':*`), cast with `::tsquery`, bound. */
export function tsQuery(query: ParsedQuery): string {
  const required = query.required.map((t) => tsString(t.token) + (t.prefix ? ':*' : ''));
  if (query.boosts.length === 0) return required.join(' & ');
  return [...required, `(${[required[0], ...query.boosts.map(tsString)].join(' | ')})`].join(' & ');
}
