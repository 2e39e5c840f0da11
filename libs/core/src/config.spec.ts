import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('serves a single machine by default: SQLite under ./data, no Redis, port 3000, local chain', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({
      kind: 'sqlite',
      path: expect.stringMatching(/data\/exchange\.sqlite$/),
    });
    expect(config.redis).toBeNull();
    expect(config.chain).toEqual({ mode: 'local', anvilPort: 8545 });
    expect(config.ledgerHash).toBe('sha256');
  });

  it('puts the local chain beside the API port unless ANVIL_PORT says where (0: any free port)', () => {
    expect(loadConfig({ PORT: '4000' }).chain).toEqual({ mode: 'local', anvilPort: 9545 });
    expect(loadConfig({ PORT: '0' }).chain).toEqual({ mode: 'local', anvilPort: 0 });
    expect(loadConfig({ PORT: '65000' }).chain).toEqual({ mode: 'local', anvilPort: 0 });
    expect(loadConfig({ PORT: '4000', ANVIL_PORT: '18545' }).chain).toEqual({
      mode: 'local',
      anvilPort: 18545,
    });
    expect(loadConfig({ ANVIL_PORT: '0' }).chain).toEqual({ mode: 'local', anvilPort: 0 });
  });

  it('switches to PostgreSQL, Redis and an external chain by URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/x',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CHAIN_RPC_URL: 'http://127.0.0.1:8545',
      DATA_DIR: '/tmp/dx',
    });
    expect(config.database).toEqual({
      kind: 'postgresql',
      url: 'postgres://u:p@127.0.0.1:5432/x',
      migrationUrl: null,
    });
    expect(config.redis?.url).toBe('redis://127.0.0.1:6379');
    expect(config.chain).toEqual({ mode: 'rpc', url: 'http://127.0.0.1:8545', anchorContract: null });
    expect(config.dataDir).toBe('/tmp/dx');
  });

  it('runs migrations as a separate owner role when DATABASE_MIGRATION_URL is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app:p@127.0.0.1:5432/x',
      DATABASE_MIGRATION_URL: 'postgres://owner:q@127.0.0.1:5432/x',
    });
    expect(config.database).toEqual({
      kind: 'postgresql',
      url: 'postgres://app:p@127.0.0.1:5432/x',
      migrationUrl: 'postgres://owner:q@127.0.0.1:5432/x',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_MIGRATION_URL: 'postgres://owner:q@127.0.0.1:5432/x' }, 'DATABASE_MIGRATION_URL'],
    [{ DATABASE_URL: 'postgres://a@h/x', DATABASE_MIGRATION_URL: 'mysql://x' }, 'DATABASE_MIGRATION_URL'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ CHAIN_RPC_URL: 'not a url' }, 'CHAIN_RPC_URL'],
    [{ LEDGER_HASH: 'md5' }, 'LEDGER_HASH'],
    [{ APP_SECRET_KEY: 'c2hvcnQ=' }, 'APP_SECRET_KEY'],
    [{ CHAIN_RPC_URL: 'http://127.0.0.1:8545', ANCHOR_CONTRACT: '0x1234' }, 'ANCHOR_CONTRACT'],
    [{ ANCHOR_EVERY_ENTRIES: '0' }, 'ANCHOR_EVERY_ENTRIES'],
    [{ ANVIL_PORT: '8545x' }, 'ANVIL_PORT'],
    [{ ANVIL_PORT: '70000' }, 'ANVIL_PORT'],
    [{ PORT: '4000', ANVIL_PORT: '4000' }, 'ANVIL_PORT'],
    [{ TRADING_PLATFORM_FEE_BASIS_POINTS: '10001' }, 'TRADING_PLATFORM_FEE_BASIS_POINTS'],
    [{ TRADING_OFFER_VALID_DAYS: '0' }, 'TRADING_OFFER_VALID_DAYS'],
    [{ TRADING_DELIVERY_CONFIRM_DAYS: '7.5' }, 'TRADING_DELIVERY_CONFIRM_DAYS'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^configuration ${variable}:`));
  });

  it('takes the trading settings with their defaults: a 3% fee, offers valid 7 days, delivery confirmed in 7', () => {
    expect(loadConfig({}).trading).toEqual({
      platformFeeBasisPoints: 300,
      offerValidDays: 7,
      deliveryConfirmDays: 7,
    });
    expect(
      loadConfig({
        TRADING_PLATFORM_FEE_BASIS_POINTS: '0',
        TRADING_OFFER_VALID_DAYS: '30',
        TRADING_DELIVERY_CONFIRM_DAYS: '14',
      }).trading,
    ).toEqual({ platformFeeBasisPoints: 0, offerValidDays: 30, deliveryConfirmDays: 14 });
  });

  it('never puts a database password into its message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:secret@' })).toThrow(/^(?!.*secret)/);
  });
});
