const LOCAL_POSTGRES = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL server a bench makes its scratch databases on: DATABASE_URL's server when it is a PostgreSQL URL
 * (its `postgres` maintenance database), else the local default that `scripts/services.sh` starts.
 */
export function postgresServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    parsed.pathname = '/postgres';
    return parsed.toString();
  }
  return LOCAL_POSTGRES;
}
