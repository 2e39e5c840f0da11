import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * The catalogue's one tokeniser: the index and the query box both go through it, on SQLite and PostgreSQL alike, so
 * the databases only ever see tokens made here and store them as they are.
 *
 * Text is NFKC-normalised (full-width letters and digits become ASCII, compatibility ideographs their unified form)
 * and lower-cased, then cut into runs: runs of CJK characters (Han, kana, Hangul) and words of other letters and
 * digits. Everything else (spaces, punctuation, marks, symbols) separates.
 *
 * A CJK run is indexed as every single character, every two-character window (bigram) and the words of three or more
 * characters that jieba's search mode finds in it (words of one or two characters already are unigrams or bigrams).
 * So any two-character word is found wherever it occurs (数据, 交通, 医保), also inside a compound (处理 in 待处理)
 * that a dictionary segmenter would keep whole, and the dictionary's longer words add weight when the query names
 * them whole.
 */

/** Latin, Cyrillic, … words and numbers; anything longer is cut here (both index and query cut it alike). */
export const MAX_WORD_LENGTH = 64;

/** A word the user may still be typing matches as a prefix once it has this many characters. */
export const MIN_PREFIX_LENGTH = 3;

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}`;
// One regex, so index, query and highlights cut text at the same places.
const RUNS = new RegExp(String.raw`([${CJK}]+)|([[\p{L}\p{N}]--[${CJK}]]+)`, 'gv');
const HAN_RUN = /^\p{Script=Han}+$/u;
const CJK_CHAR = new RegExp(`[${CJK}]`, 'u');

/** Whether a token is (or starts with) CJK text rather than a word. */
export const isCjk = (token: string): boolean => CJK_CHAR.test(token);

let jieba: Jieba | undefined;
/** The dictionary is ~5 MB; it is loaded once per process, on first use. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Loads jieba's dictionary now (a few hundred ms), so no request waits for it. */
export function loadSegmenter(): void {
  segmenter();
}

/** NFKC and lower case: what every comparison in the catalogue works on. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export type Run = { kind: 'cjk'; text: string } | { kind: 'word'; text: string };

/** The runs of a normalised text, in order. */
export function runs(normalised: string): Run[] {
  const out: Run[] = [];
  for (const m of normalised.matchAll(RUNS)) {
    if (m[1] !== undefined) out.push({ kind: 'cjk', text: m[1] });
    else out.push({ kind: 'word', text: [...m[2]].slice(0, MAX_WORD_LENGTH).join('') });
  }
  return out;
}

/** Single characters and two-character windows of a CJK run. */
function grams(run: string): string[] {
  const chars = [...run];
  const out: string[] = [...chars];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** Jieba's search-mode words of three or more characters in a Han run. */
function longWords(run: string): string[] {
  if (!HAN_RUN.test(run) || [...run].length < 3) return [];
  return segmenter()
    .cutForSearch(run, true)
    .filter((w) => [...w].length >= 3 && HAN_RUN.test(w));
}

/** The index tokens of a text, in order (repeated tokens repeat: their count is the term frequency). */
export function tokenise(text: string): string[] {
  const out: string[] = [];
  for (const run of runs(normalise(text))) {
    if (run.kind === 'word') out.push(run.text);
    else out.push(...grams(run.text), ...longWords(run.text));
  }
  return out;
}

/** One term of a query: every `required` token must be in a matching listing. */
export interface QueryTerm {
  /** The token, exactly as the index holds it. */
  token: string;
  /** The last word typed, not followed by a space: it matches any token it begins. */
  prefix: boolean;
}

/** A parsed query: the terms every match has, the longer words that only rank, and the words to highlight. */
export interface ParsedQuery {
  required: QueryTerm[];
  /** Dictionary words of three or more characters: a listing holding one whole ranks higher; none is required. */
  boosts: string[];
  /** The query's CJK words, as the segmenter cut them (marked whole in highlights where they occur whole). */
  cjkWords: string[];
  /** A stable text of the query's meaning: two queries with the same key find the same listings. */
  key: string;
}

/** At most this many required terms: a longer query is refused, not silently cut. */
export const MAX_QUERY_TERMS = 32;

/** The words of a CJK run of the query: runs of up to two characters stay whole, longer ones go through jieba. */
function queryWords(run: string): string[] {
  if ([...run].length <= 2 || !HAN_RUN.test(run)) return [run];
  return segmenter()
    .cut(run, true)
    .filter((w) => w.length > 0);
}

/**
 * The query box's text as terms. A CJK run is cut into words (交通数据 → 交通, 数据); a word of one character asks
 * for that character, a longer one for each of its bigrams, so it matches wherever the word occurs, whatever the
 * dictionary made of the listing's text around it (处理 inside 待处理). A Latin word asks for itself, or for any
 * token it begins when it is the last thing typed (no space after it) and at least MIN_PREFIX_LENGTH long.
 */
export function parseQuery(q: string): ParsedQuery {
  const normalised = normalise(q);
  const parts = runs(normalised);
  const required = new Map<string, QueryTerm>();
  const boosts = new Set<string>();
  const cjkWords = new Set<string>();
  const typing = !/\s$/u.test(normalised);
  parts.forEach((run, i) => {
    if (run.kind === 'word') {
      const prefix = typing && i === parts.length - 1 && [...run.text].length >= MIN_PREFIX_LENGTH;
      const key = `${run.text}${prefix ? '*' : ''}`;
      required.set(key, { token: run.text, prefix });
      return;
    }
    for (const word of queryWords(run.text)) {
      cjkWords.add(word);
      const chars = [...word];
      if (chars.length === 1) required.set(word, { token: word, prefix: false });
      for (let j = 0; j + 1 < chars.length; j++) {
        const bigram = chars[j] + chars[j + 1];
        required.set(bigram, { token: bigram, prefix: false });
      }
      if (chars.length >= 3 && HAN_RUN.test(word)) boosts.add(word);
    }
  });
  // A prefix term is implied by the same exact word: keep the exact one only.
  for (const [key, term] of required) if (term.prefix && required.has(term.token)) required.delete(key);
  const terms = [...required.values()].sort((a, b) =>
    a.token === b.token ? Number(a.prefix) - Number(b.prefix) : a.token < b.token ? -1 : 1,
  );
  const boostList = [...boosts].sort();
  return {
    required: terms,
    boosts: boostList,
    cjkWords: [...cjkWords],
    key: `${terms.map((t) => t.token + (t.prefix ? '*' : '')).join(' ')}|${boostList.join(' ')}`,
  };
}

/** Whether a listing's tokens satisfy the query (the definition both databases implement; tests use it). */
export function matches(tokens: ReadonlySet<string>, query: ParsedQuery): boolean {
  return query.required.every((term) =>
    term.prefix ? [...tokens].some((t) => t.startsWith(term.token)) : tokens.has(term.token),
  );
}
