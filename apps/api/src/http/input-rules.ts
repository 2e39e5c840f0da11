/**
 * What the edge refuses before any route sees a request: pure functions, so the rules are tested on their own and
 * the hooks in `edge-hooks.ts` only apply them.
 *
 * Text: every string must be well-formed Unicode (no lone surrogate) and free of C0 and C1 control characters
 * (U+0000–U+001F, U+007F–U+009F). String values inside a JSON body may carry tab, line feed and carriage return,
 * which free text (a reason, a description) legitimately contains; names, query parameters and path parameters may
 * not, as no identifier or filter value has a use for them. NUL in particular never reaches a database: PostgreSQL
 * refuses it in text, and C code that reads the value stops at it.
 */
export const MAX_JSON_DEPTH = 32;

/** Control characters refused everywhere (C0 except tab, LF, CR; DEL and C1). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_FREE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** Control characters refused in names, query and path parameters (all of C0, DEL and C1). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_NAMES = /[\u0000-\u001F\u007F-\u009F]/u;

/** With the u flag a paired surrogate is one code point, so this matches only lone halves. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export interface TextProblem {
  /** Where it was found, e.g. `body field admin.username`, `query parameter status`. */
  field: string;
  message: string;
  /** The error code when it is not `invalid_text`. */
  code?: string;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a string is refused, or undefined. `freeText` allows tab, line feed and carriage return. */
export function textProblem(value: string, freeText: boolean): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'is not well-formed Unicode (it holds a lone surrogate)';
  const control = (freeText ? CONTROL_IN_FREE_TEXT : CONTROL_IN_NAMES).exec(value);
  if (control) {
    return freeText
      ? `contains the control character ${codePoint(control[0])}; text may hold no control characters other than tab, line feed and carriage return`
      : `contains the control character ${codePoint(control[0])}; names and parameters may hold no control characters`;
  }
  return undefined;
}

const fieldPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/** The first string in a parsed JSON body (values and keys) that the text rules refuse. */
export function bodyTextProblem(body: unknown): TextProblem | undefined {
  // Iterative: the depth is bounded at parsing, but this walk should not rely on it.
  const stack: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value, true);
      if (problem) return { field: path ? `body field ${path}` : 'body', message: problem };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: fieldPath(path, i) });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (const key of keys) {
        const problem = textProblem(key, false);
        if (problem) {
          return { field: `a body field name${path ? ` in ${path}` : ''}`, message: problem };
        }
      }
      for (const key of keys.reverse()) {
        stack.push({ value: (value as Record<string, unknown>)[key], path: fieldPath(path, key) });
      }
    }
  }
  return undefined;
}

/** The first query parameter that is repeated or whose name or value the text rules refuse. */
export function queryProblem(query: unknown): TextProblem | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    const nameProblem = textProblem(name, false);
    if (nameProblem) return { field: 'a query parameter name', message: nameProblem };
    if (Array.isArray(value)) {
      return {
        field: `query parameter ${name}`,
        message: `is given ${value.length} times; give it once`,
        code: 'repeated_parameter',
      };
    }
    if (typeof value === 'string') {
      const problem = textProblem(value, false);
      if (problem) return { field: `query parameter ${name}`, message: problem };
    }
  }
  return undefined;
}

/** The first path parameter whose value the text rules refuse. */
export function paramsProblem(params: unknown): TextProblem | undefined {
  if (params === null || typeof params !== 'object') return undefined;
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const problem = textProblem(value, false);
    if (problem) return { field: `path parameter ${name}`, message: problem };
  }
  return undefined;
}

/**
 * Whether the JSON text nests arrays and objects deeper than `max`, found by one scan of the text before parsing
 * (a parser or validator that recurses would overflow its stack on 100,000 levels). Brackets inside strings do not
 * count.
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The client's correlation id when it is a UUID (lower-cased), else undefined: the server then makes one. */
export function acceptedCorrelationId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && UUID.test(header) ? header.toLowerCase() : undefined;
}
