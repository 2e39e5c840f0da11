import { raw } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { bindParameters } from './bound-parameters.js';

const sqlite = new SqlitePlatform();
const postgres = new PostgreSqlPlatform();

/** Puts bound values back into the text the way the platform quotes literals: it must give formatQuery's text. */
function reinline(sql: string, values: unknown[], platform: SqlitePlatform | PostgreSqlPlatform): string {
  if (platform === postgres) {
    return sql.replace(/\$(\d+)/g, (_, n: string) => String(platform.quoteValue(values[Number(n) - 1])));
  }
  let i = 0;
  return sql.replace(/\?/g, () => {
    const value = values[i++];
    return typeof value === 'bigint' ? String(value) : String(platform.quoteValue(value));
  });
}

describe('bindParameters', () => {
  const when = new Date('2026-05-06T07:08:09.010Z');
  const cases: [string, string, unknown[]][] = [
    ['scalars', 'select ? as a, ? as b, ? as c, ? as d', ["it's", 42, 1.5, null]],
    ['a date', 'select * from t where at < ?', [when]],
    ['an in list', 'select * from t where id in (?) and x = ?', [['a', 'b', 'c'], 'y']],
    ['an identifier', 'select ?? from t where k = ?', ['col', 'v']],
    ['a leading placeholder', '? = ?', ['x', 'y']],
    ['a JSON object', 'insert into t (j) values (?)', [{ a: [1, 'two'] }]],
    ['a raw fragment', 'select * from t where ? and b = ?', [raw('a > ?', [5]), 'z']],
  ];

  it.each(cases)(
    'binds %s so that putting the values back gives what formatQuery inlined (SQLite)',
    (_, sql, params) => {
      const bound = bindParameters(sql, params, sqlite, 'sqlite');
      expect(reinline(bound.sql, bound.values, sqlite)).toBe(sqlite.formatQuery(sql, params));
    },
  );

  it.each(cases)(
    'binds %s so that putting the values back gives what formatQuery inlined (PostgreSQL)',
    (_, sql, params) => {
      const bound = bindParameters(sql, params, postgres, 'postgresql');
      expect(reinline(bound.sql, bound.values, postgres)).toBe(postgres.formatQuery(sql, params));
    },
  );

  // A literal ? is PostgreSQL's JSON operator; SQLite has no such operator (true there is 1, tested below).
  it.each([
    ['booleans', 'select * from t where a = ? and b = ?', [true, false]],
    ['an escaped ?', 'select * from t where j \\? ? and k = ?', ['key', 'v']],
  ])('binds %s on PostgreSQL as formatQuery read them', (_, sql, params) => {
    const bound = bindParameters(sql, params, postgres, 'postgresql');
    expect(reinline(bound.sql, bound.values, postgres)).toBe(postgres.formatQuery(sql, params));
  });

  it('numbers PostgreSQL placeholders in order, across in lists and raw fragments', () => {
    const bound = bindParameters(
      'select ?? from t where a in (?) and ? and b = ?',
      ['c', [1, 2], raw('d = ?', ['e']), 'f'],
      postgres,
      'postgresql',
    );
    expect(bound).toEqual({
      sql: 'select "c" from t where a in ($1, $2) and d = $3 and b = $4',
      values: [1, 2, 'e', 'f'],
    });
  });

  it('keeps values out of the text, NUL bytes and quotes included', () => {
    const hostile = "x\u0000'; drop table t; --";
    const bound = bindParameters('select * from t where a = ?', [hostile], sqlite, 'sqlite');
    expect(bound).toEqual({ sql: 'select * from t where a = ?', values: [hostile] });
  });

  it('binds SQLite integers as integers, dates as epoch milliseconds and booleans as 1/0', () => {
    const { values } = bindParameters('?, ?, ?, ?', [7, when, true, 2.5], sqlite, 'sqlite');
    expect(values).toEqual([7n, BigInt(when.getTime()), 1n, 2.5]);
  });

  it('leaves SQL without parameters untouched, escapes included', () => {
    expect(bindParameters("select '\\?' as q", [], sqlite, 'sqlite')).toEqual({
      sql: "select '\\?' as q",
      values: [],
    });
  });
});
