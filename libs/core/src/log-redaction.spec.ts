import { redactSecrets } from './log-redaction.js';

describe('redactSecrets', () => {
  const token = 'dxt_3q2-7wEvb4Hh1_xY0aZ9kLmNoPqRsTuVwXyZ012345678';

  it('removes bearer credentials and the exchange tokens wherever they appear', () => {
    const out = redactSecrets(
      `authorization: Bearer ${token}\nsaw ${token} and dxs_abcdefghijklmnopqrstuvwx`,
    );
    expect(out).not.toContain(token.slice(4));
    expect(out).not.toContain('abcdefghijklmnop');
    expect(out).toContain('dxs_[redacted]');
  });

  it('removes the values of password, token, secret and TOTP fields, quoted or not', () => {
    const out = redactSecrets(
      `{"username":"ann","password":"hunter2 hunter2","totp":"123456"} passphrase=swordfish apiToken: 'abc' keystorePassword=s3cret`,
    );
    for (const secret of ['hunter2', '123456', 'swordfish', "'abc'", 's3cret'])
      expect(out).not.toContain(secret);
    expect(out).toContain('"username":"ann"');
  });

  it('removes the values a database error inlines into its SQL and its detail', () => {
    const error = [
      `insert into "account" ("id", "username", "password_hash") values ('a1', 'ann', 'scrypt$N=16384$c2FsdA$aGFzaA') - duplicate key value violates unique constraint "account_username_unique"`,
      `DETAIL:  Key (username)=(ann) already exists.`,
      `    at PostgreSqlExceptionConverter.convertException (node_modules/@mikro-orm/postgresql/index.js:1:1)`,
    ].join('\n');
    const out = redactSecrets(error);
    expect(out).not.toContain('scrypt$');
    expect(out).not.toContain("'ann'");
    expect(out).not.toContain('=(ann)');
    expect(out).toContain('duplicate key value violates unique constraint "account_username_unique"');
    expect(out).toContain('PostgreSqlExceptionConverter.convertException');
  });

  it('removes the password of a URL and leaves ordinary text alone', () => {
    expect(redactSecrets('connect postgres://app:pa55@db:5432/x failed')).toBe(
      'connect postgres://app:[redacted]@db:5432/x failed',
    );
    const plain = 'Mapped {/v1/auth/login, POST} route; statusCode 401 code bad_credentials';
    expect(redactSecrets(plain)).toBe(plain);
  });
});
