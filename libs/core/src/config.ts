import { resolve } from 'node:path';

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  /** `migrationUrl`: the tables' owner, which runs the migrations; `url` then names a role with table grants only. */
  | { kind: 'postgresql'; url: string; migrationUrl: string | null };
export type ChainConfig =
  | { mode: 'off' }
  /** `npm start` runs anvil on anvilPort (0: any free port). */
  | { mode: 'local'; anvilPort: number }
  | { mode: 'rpc'; url: string; anchorContract: string | null };
export type LedgerHashAlgorithm = 'sha256' | 'sm3';

/** Everything the processes read from the environment, validated once at boot. */
export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly redis: { url: string; prefix: string } | null;
  readonly chain: ChainConfig;
  readonly ledgerHash: LedgerHashAlgorithm;
  readonly ledger: {
    /** Encrypted v3 keystore of the exchange's ledger key (signs tree heads, writes anchors). */
    keystorePath: string;
    /** From the environment; when absent the keystore is sealed with a password derived from the application key. */
    keystorePassword: string | null;
    /** A new signed head is made this often when entries were added. */
    headIntervalSeconds: number;
    /** Anchor the newest head once this many entries are unanchored … */
    anchorEveryEntries: number;
    /** … or this long after the last anchor, whichever comes first. */
    anchorIntervalSeconds: number;
  };
  readonly sessionTtlMinutes: number;
  readonly login: {
    maxFailures: number;
    lockMinutes: number;
    attemptsPerMinute: number;
    /** Self sign-ups per client address and hour: each costs a password hash and two ledger entries. */
    signUpsPerHour: number;
  };
  readonly bodyLimitBytes: number;
  /** The largest file a merchant may upload for file delivery; the upload streams, so this bounds disk, not memory. */
  readonly deliveryFileMaxBytes: number;
  /**
   * Where content-addressed blobs (encrypted datasets) live: files under `dataDir/blobs`, or rows of the database
   * (the default on PostgreSQL, so workers on other hosts read the same data). `BLOB_STORE` overrides.
   */
  readonly blobStore: 'files' | 'database';
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Base64 of 32 bytes; when absent a key file under dataDir is created on first start. */
  readonly appSecretKey: string | null;
  readonly trading: {
    /** The exchange's fee on every contract's proceeds, in basis points, fixed into each contract when it forms. */
    platformFeeBasisPoints: number;
    /** An offer (a negotiation version) lapses this many days after it is made unless it says otherwise. */
    offerValidDays: number;
    /** The escrow is released this many days after funding unless the buyer confirms or disputes sooner. */
    deliveryConfirmDays: number;
  };
  readonly compute: {
    /** A compute contract's ε budget (thousandths of ε) when its listing sets none. */
    epsilonBudgetMilli: number;
    /** The ε one release spends (thousandths) when the listing sets none. */
    epsilonPerReleaseMilli: number;
    /** A sandbox worker keeps this many bytes of recently used datasets' ciphertexts loaded (LRU). */
    cacheBytes: number;
    /** How long a worker may hold a job without renewing its lock before another worker takes it over. */
    jobLockMs: number;
    /** Evaluation threads of a sandbox worker's engine; 0 = every core the process may use. */
    threads: number;
  };
}

/** A bad or missing setting; the message names the variable so the operator can fix it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`configuration ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(name: string, raw: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL: "${redact(raw)}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw;
}

/** Hides a password in a URL before it goes into an error message. */
export function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

function database(env: Env, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL;
  if (env.DATABASE_MIGRATION_URL && !(raw?.startsWith('postgres://') || raw?.startsWith('postgresql://'))) {
    throw new ConfigError('DATABASE_MIGRATION_URL', 'is only for PostgreSQL (DATABASE_URL=postgres://…)');
  }
  if (raw === undefined || raw === '') return { kind: 'sqlite', path: resolve(dataDir, 'exchange.sqlite') };
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    const owner = env.DATABASE_MIGRATION_URL;
    return {
      kind: 'postgresql',
      url: url('DATABASE_URL', raw, ['postgres:', 'postgresql:']),
      migrationUrl: owner ? url('DATABASE_MIGRATION_URL', owner, ['postgres:', 'postgresql:']) : null,
    };
  }
  if (raw === 'sqlite::memory:' || raw === ':memory:') return { kind: 'sqlite', path: ':memory:' };
  if (raw.startsWith('sqlite:')) return { kind: 'sqlite', path: resolve(raw.slice('sqlite:'.length)) };
  throw new ConfigError('DATABASE_URL', 'must start with postgres://, postgresql:// or sqlite:');
}

/** The local chain's port: ANVIL_PORT, else 8545 beside the default API port 3000 (PORT + 5545), as Ethereum tools expect. */
function anvilPort(env: Env, apiPort: number): number {
  const beside = apiPort > 0 && apiPort + 5545 <= 65535 ? apiPort + 5545 : 0;
  const port = integer(env, 'ANVIL_PORT', beside, 0, 65535);
  if (port !== 0 && port === apiPort)
    throw new ConfigError('ANVIL_PORT', `must differ from PORT (${apiPort})`);
  return port;
}

function chain(env: Env, apiPort: number): ChainConfig {
  const raw = env.CHAIN_RPC_URL;
  if (raw === undefined || raw === '' || raw === 'local')
    return { mode: 'local', anvilPort: anvilPort(env, apiPort) };
  if (raw === 'off') return { mode: 'off' };
  const contract = env.ANCHOR_CONTRACT || null;
  if (contract !== null && !/^0x[0-9a-fA-F]{40}$/.test(contract)) {
    throw new ConfigError('ANCHOR_CONTRACT', 'must be a 0x-prefixed 20-byte address');
  }
  return {
    mode: 'rpc',
    url: url('CHAIN_RPC_URL', raw, ['http:', 'https:', 'ws:', 'wss:']),
    anchorContract: contract,
  };
}

/** Files beside an embedded SQLite database; the shared database itself when that is PostgreSQL. */
function defaultBlobStore(env: Env, dataDir: string): 'files' | 'database' {
  return database(env, dataDir).kind === 'postgresql' ? 'database' : 'files';
}

export function loadConfig(env: Env = process.env): AppConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  const redisUrl = env.REDIS_URL;
  const appSecretKey = env.APP_SECRET_KEY || null;
  if (appSecretKey !== null && Buffer.from(appSecretKey, 'base64').length !== 32) {
    throw new ConfigError('APP_SECRET_KEY', 'must be 32 bytes in base64');
  }
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  return {
    env: nodeEnv,
    host: env.HOST || '127.0.0.1',
    port,
    dataDir,
    database: database(env, dataDir),
    redis: redisUrl
      ? { url: url('REDIS_URL', redisUrl, ['redis:', 'rediss:']), prefix: env.REDIS_PREFIX || 'dx' }
      : null,
    chain: chain(env, port),
    ledgerHash: oneOf(env, 'LEDGER_HASH', ['sha256', 'sm3'] as const, 'sha256'),
    ledger: {
      keystorePath: resolve(env.LEDGER_KEYSTORE || resolve(dataDir, 'ledger-keystore.json')),
      keystorePassword: env.LEDGER_KEYSTORE_PASSWORD || null,
      headIntervalSeconds: integer(env, 'LEDGER_HEAD_INTERVAL_SECONDS', 60, 1, 86_400),
      anchorEveryEntries: integer(env, 'ANCHOR_EVERY_ENTRIES', 1000, 1, 10_000_000),
      anchorIntervalSeconds: integer(env, 'ANCHOR_INTERVAL_SECONDS', 300, 1, 7 * 86_400),
    },
    sessionTtlMinutes: integer(env, 'SESSION_TTL_MINUTES', 720, 1, 60 * 24 * 30),
    login: {
      maxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
      lockMinutes: integer(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
      attemptsPerMinute: integer(env, 'LOGIN_ATTEMPTS_PER_MINUTE', 20, 1, 10_000),
      signUpsPerHour: integer(env, 'SIGNUP_ATTEMPTS_PER_HOUR', 10, 1, 100_000),
    },
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 512 * 1024 * 1024),
    deliveryFileMaxBytes: integer(env, 'DELIVERY_FILE_MAX_BYTES', 2 * 1024 ** 3, 1, 1024 ** 4),
    blobStore: oneOf(env, 'BLOB_STORE', ['files', 'database'] as const, defaultBlobStore(env, dataDir)),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['error', 'warn', 'info', 'debug'] as const,
      nodeEnv === 'test' ? 'warn' : 'info',
    ),
    appSecretKey,
    trading: {
      platformFeeBasisPoints: integer(env, 'TRADING_PLATFORM_FEE_BASIS_POINTS', 300, 0, 10_000),
      offerValidDays: integer(env, 'TRADING_OFFER_VALID_DAYS', 7, 1, 90),
      deliveryConfirmDays: integer(env, 'TRADING_DELIVERY_CONFIRM_DAYS', 7, 1, 90),
    },
    compute: {
      epsilonBudgetMilli: integer(env, 'COMPUTE_EPSILON_BUDGET_MILLI', 10_000, 1, 1_000_000),
      epsilonPerReleaseMilli: integer(env, 'COMPUTE_EPSILON_PER_RELEASE_MILLI', 1_000, 1, 1_000_000),
      cacheBytes: integer(env, 'COMPUTE_CACHE_BYTES', 512 * 1024 * 1024, 0, 64 * 1024 ** 3),
      jobLockMs: integer(env, 'COMPUTE_JOB_LOCK_MS', 30_000, 1_000, 3_600_000),
      threads: integer(env, 'COMPUTE_THREADS', 0, 0, 16),
    },
  };
}
