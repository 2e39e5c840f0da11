import type { FastifyServerOptions } from 'fastify';
import { correlationContext, redactSecrets, type LogLevel } from '@app/core';

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
}

/** Query parameters whose values are never logged, whatever the route. */
const SECRET_QUERY = /([?&][^=&]*(?:token|password|secret|code|otp)[^=&]*=)[^&]*/gi;

/**
 * Fastify's own logger (pino) writing the same lines as JsonLogger: `level` as a name, `time` in ISO 8601, the
 * request's `correlationId`, `message`; no headers (they carry credentials) and a redacted URL, message and stack.
 */
export function fastifyLogging(level: LogLevel): Pick<FastifyServerOptions, 'logger' | 'childLoggerFactory'> {
  return {
    logger: pinoOptions(level),
    // Fastify binds each request's logger to `reqId`; the exchange calls it the correlation id everywhere.
    childLoggerFactory: (logger, bindings, options) => {
      const { reqId, ...rest } = bindings as { reqId?: unknown };
      return logger.child(reqId === undefined ? rest : { correlationId: reqId, ...rest }, options);
    },
  };
}

function pinoOptions(level: LogLevel): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    messageKey: 'message',
    base: undefined,
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: {
      level: (label: string) => ({ level: label === 'fatal' ? 'error' : label }),
    },
    serializers: {
      req: (request: RequestLike) => ({
        method: request.method,
        url: request.url?.replace(SECRET_QUERY, '$1[redacted]'),
        remoteAddress: request.ip,
      }),
      err: (error: Error) => ({
        type: error.name,
        message: redactSecrets(error.message),
        stack: redactSecrets(error.stack ?? ''),
      }),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg: unknown) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<
            typeof method
          >,
        );
      },
    },
  };
}

/** Runs each request's hooks and handler inside its correlation id, so Nest's log lines carry it too. */
export function bindCorrelation(fastify: {
  addHook(
    name: 'onRequest' | 'preValidation',
    hook: (request: { id: unknown }, reply: unknown, done: () => void) => void,
  ): unknown;
}): void {
  // Body parsing runs in the socket's async context, so the id is entered again once the body is read.
  for (const name of ['onRequest', 'preValidation'] as const)
    fastify.addHook(name, (request, _reply, done) => correlationContext.run(String(request.id), done));
}
