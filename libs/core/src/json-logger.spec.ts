import { JsonLogger, correlationContext, type LogLine } from './json-logger.js';

function capture(level: ConstructorParameters<typeof JsonLogger>[0] = 'debug') {
  const lines: string[] = [];
  const logger = new JsonLogger(level, (line) => lines.push(line));
  const parsed = () => lines.map((line) => JSON.parse(line) as LogLine);
  return { logger, lines, parsed };
}

describe('JsonLogger', () => {
  it('writes each call as one line of JSON with level, ISO time, context and message', () => {
    const { logger, lines, parsed } = capture();
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    logger.warn('slow', 'ledger');
    logger.verbose('detail');
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(parsed()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        context: 'RouterExplorer',
        message: 'Mapped {/health, GET} route',
      },
      { level: 'warn', time: expect.any(String), context: 'ledger', message: 'slow' },
      { level: 'debug', time: expect.any(String), message: 'detail' },
    ]);
  });

  it("keeps an error's stack inside the one line, redacted, in Nest's (message, stack, context) form and as an Error", () => {
    const { logger, lines, parsed } = capture();
    const error = new Error(`select * from "account" where "username" = 'ann'`);
    logger.error('[c1] GET /v1/x: failed', error.stack, 'http');
    logger.error(error, 'api');
    expect(lines).toHaveLength(2);
    for (const line of parsed()) {
      expect(line.level).toBe('error');
      expect(line.stack).toContain('json-logger.spec');
      expect(JSON.stringify(line)).not.toContain("'ann'");
    }
    expect(parsed()[0]).toMatchObject({ context: 'http', message: '[c1] GET /v1/x: failed' });
  });

  it('adds the correlation id of the request being served', async () => {
    const { logger, parsed } = capture();
    await correlationContext.run('6b0c7c8e-0000-4000-8000-000000000001', async () => {
      await Promise.resolve();
      logger.log('inside');
    });
    logger.log('outside');
    expect(parsed()[0].correlationId).toBe('6b0c7c8e-0000-4000-8000-000000000001');
    expect(parsed()[1]).not.toHaveProperty('correlationId');
  });

  it('drops lines below its level, and takes Nest levels', () => {
    const { logger, parsed } = capture('warn');
    logger.log('no');
    logger.debug('no');
    logger.warn('yes');
    logger.setLogLevels(['error']);
    logger.warn('no');
    logger.error('yes');
    expect(parsed().map((l) => l.message)).toEqual(['yes', 'yes']);
  });

  it('redacts secrets in messages', () => {
    const { logger, lines } = capture();
    logger.log(
      'login {"username":"ann","password":"correct horse"} with Bearer dxt_abcdefghijklmnopqrstuvwxyz',
    );
    expect(lines[0]).not.toContain('correct horse');
    expect(lines[0]).not.toContain('abcdefghijklmnop');
  });
});
