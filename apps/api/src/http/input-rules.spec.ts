import {
  acceptedCorrelationId,
  bodyTextProblem,
  jsonDeeperThan,
  paramsProblem,
  queryProblem,
  textProblem,
} from './input-rules.js';

describe('text rules', () => {
  it('lets free text keep tab, line feed and carriage return, and refuses every other C0, DEL and C1 control', () => {
    expect(textProblem('line one\r\nline two\tend', true)).toBeUndefined();
    expect(textProblem('海东数据 — ünïcödé 😀', true)).toBeUndefined();
    for (let code = 0; code <= 0x9f; code++) {
      const isControl = code < 0x20 || code >= 0x7f;
      const allowedInText = code === 0x09 || code === 0x0a || code === 0x0d;
      const char = String.fromCharCode(code);
      expect([code, textProblem(`a${char}b`, true) !== undefined]).toEqual([
        code,
        isControl && !allowedInText,
      ]);
      expect([code, textProblem(`a${char}b`, false) !== undefined]).toEqual([code, isControl]);
    }
  });

  it('names the code point', () => {
    expect(textProblem('a\u0000', true)).toMatch(/U\+0000/);
    expect(textProblem('a\u0085', false)).toMatch(/U\+0085/);
  });

  it('refuses lone surrogates and keeps pairs', () => {
    expect(textProblem('\uD83D\uDE00', false)).toBeUndefined();
    expect(textProblem('a\uD83D', true)).toMatch(/well-formed/);
    expect(textProblem('\uDE00a', true)).toMatch(/well-formed/);
  });

  it('finds the field in a body, nested and in arrays, and in field names', () => {
    expect(bodyTextProblem({ a: 'ok\n', b: [1, { c: 'x' }] })).toBeUndefined();
    expect(bodyTextProblem({ a: 'ok', b: [1, { c: 'x\u0000' }] })).toEqual({
      field: 'body field b[1].c',
      message: expect.stringMatching(/U\+0000/),
    });
    expect(bodyTextProblem({ admin: { 'user\u0000name': 'x' } })?.field).toBe('a body field name in admin');
    expect(bodyTextProblem({ 'new\nline': 'x' })?.field).toBe('a body field name');
    expect(bodyTextProblem('\u0007')?.field).toBe('body');
    expect(bodyTextProblem([null, 1, true, 'fine'])).toBeUndefined();
  });

  it('refuses repeated query parameters and control characters in query and path values', () => {
    expect(queryProblem({ status: 'pending', limit: '10' })).toBeUndefined();
    expect(queryProblem({ status: ['a', 'b', 'c'] })).toEqual({
      field: 'query parameter status',
      message: 'is given 3 times; give it once',
      code: 'repeated_parameter',
    });
    expect(queryProblem({ q: 'a\tb' })?.field).toBe('query parameter q');
    expect(paramsProblem({ id: 'x\u001b' })?.field).toBe('path parameter id');
    expect(paramsProblem({ id: '00000000-0000-4000-8000-000000000000' })).toBeUndefined();
  });
});

describe('JSON depth', () => {
  it('counts nesting, not brackets inside strings', () => {
    expect(jsonDeeperThan('[[[]]]', 3)).toBe(false);
    expect(jsonDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(jsonDeeperThan('{"a":{"b":{"c":1}}}', 3)).toBe(false);
    expect(jsonDeeperThan('{"a":{"b":{"c":{}}}}', 3)).toBe(true);
    expect(jsonDeeperThan(JSON.stringify({ a: '[[[[[[[[{{{{{{' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ a: 'quote \\" [[[[[[', b: 'x' }), 1)).toBe(false);
    expect(jsonDeeperThan('['.repeat(100_000) + ']'.repeat(100_000), 32)).toBe(true);
    expect(jsonDeeperThan('[' + '[],'.repeat(10_000) + '[]]', 2)).toBe(false);
  });
});

describe('correlation ids', () => {
  it('keeps a UUID (lower-cased) and nothing else', () => {
    expect(acceptedCorrelationId('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    for (const sent of [
      undefined,
      '',
      'x'.repeat(36),
      '0f8fad5b-d9cb-469f-a165-70867728950e\n',
      ['a', 'b'],
    ]) {
      expect(acceptedCorrelationId(sent)).toBeUndefined();
    }
  });
});
