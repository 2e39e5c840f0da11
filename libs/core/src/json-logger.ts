import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { redactSecrets } from './log-redaction.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** The correlation id of the request being served; log lines written while serving it carry it. */
export const correlationContext = new AsyncLocalStorage<string>();

export interface LogLine {
  level: LogLevel;
  time: string;
  correlationId?: string;
  context?: string;
  message: string;
  stack?: string;
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value instanceof Error ? value.message : format('%o', value);

/**
 * The processes' one log format: each call writes one line of JSON (level, time, correlation id when inside a
 * request, context, message, stack for errors) to standard output, secrets redacted. Shaped as Nest's LoggerService
 * (log/error/warn/debug/verbose/fatal with the context last), so it is also Nest's logger; core stays free of Nest.
 */
export class JsonLogger {
  constructor(
    private level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => void process.stdout.write(line),
  ) {}

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  log(message: unknown, ...params: unknown[]): void {
    this.emit('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }

  /** Nest's `logger: [...]` levels; `log` is info and `verbose` is debug. */
  setLogLevels(levels: string[]): void {
    const mapped = levels.map((l) => (l === 'log' ? 'info' : l === 'verbose' ? 'debug' : l));
    const known = (Object.keys(RANK) as LogLevel[]).filter((l) => mapped.includes(l));
    this.level = known.sort((a, b) => RANK[b] - RANK[a])[0] ?? 'error';
  }

  private emit(level: LogLevel, message: unknown, params: unknown[]): void {
    if (RANK[level] > RANK[this.level]) return;
    // Nest passes (message, context) or, for errors, (message, stack, context).
    const rest = params.filter((p) => p !== undefined);
    const context =
      rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    let stack = message instanceof Error ? message.stack : undefined;
    if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n'))
      stack = rest.shift() as string;
    else if (rest[0] instanceof Error) stack = (rest.shift() as Error).stack;
    const extra = rest.length > 0 ? ` ${rest.map(text).join(' ')}` : '';
    const line: LogLine = {
      level,
      time: new Date().toISOString(),
      correlationId: correlationContext.getStore(),
      context,
      message: redactSecrets(`${text(message)}${extra}`),
      stack: stack === undefined ? undefined : redactSecrets(stack),
    };
    this.write(`${JSON.stringify(line)}\n`);
  }
}

/**
 * Makes everything else the process writes a JSON line too: console output of libraries, Node's warnings, and an
 * uncaught exception or unhandled rejection (logged, then the process exits with 1).
 */
export function routeProcessOutput(logger: JsonLogger): void {
  console.log = console.info = (...args: unknown[]) => logger.log(format(...args));
  console.debug = (...args: unknown[]) => logger.debug(format(...args));
  console.warn = (...args: unknown[]) => logger.warn(format(...args));
  console.error = (...args: unknown[]) => logger.error(format(...args));
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn(warning.message, warning.name));
  const die = (error: unknown) => {
    logger.error(error instanceof Error ? error : text(error), 'process');
    process.exit(1);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
}
