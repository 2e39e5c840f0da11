import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, RateLimited, RuleRefused, type DomainErrorKind } from '@app/core';
import { isDatabaseUnavailable } from '@app/database';
import type { ErrorResponse } from './error.response.js';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  rate_limited: 429,
  refused: 422,
  unavailable: 503,
};

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export type ErrorBody = ErrorResponse;

/** The one place errors become HTTP: domain codes map to statuses; anything unknown is a logged 500. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(error, String(request.id));
    if (body.statusCode >= 500) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.logger.error(
        `[${body.correlationId}] ${request.method} ${request.routeOptions?.url ?? '?'}: ${detail}`,
      );
    }
    if (error instanceof RateLimited) void reply.header('retry-after', String(error.retryAfterSeconds));
    void reply.status(body.statusCode).send(body);
  }

  private toBody(error: unknown, correlationId: string): ErrorBody {
    if (error instanceof RuleRefused) {
      return {
        statusCode: 422,
        code: error.code,
        message: error.message,
        article: error.article,
        correlationId,
      };
    }
    if (error instanceof DomainError) {
      return { statusCode: STATUS[error.kind], code: error.code, message: error.message, correlationId };
    }
    if (error instanceof UniqueConstraintViolationException) {
      return {
        statusCode: 409,
        code: 'conflict',
        message: 'a record with these values already exists',
        correlationId,
      };
    }
    if (isDatabaseUnavailable(error)) {
      return {
        statusCode: 503,
        code: 'unavailable',
        message: 'the database cannot serve this request now; try again later',
        correlationId,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? [response.message].flat().join('; ')
          : error.message;
      const code =
        typeof response === 'object' &&
        response !== null &&
        'code' in response &&
        typeof response.code === 'string'
          ? response.code
          : (HTTP_CODES[status] ?? 'error');
      return { statusCode: status, code, message, correlationId };
    }
    // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
    const fastifyStatus = (error as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return {
        statusCode: fastifyStatus,
        code: HTTP_CODES[fastifyStatus] ?? 'bad_request',
        message: (error as Error).message,
        correlationId,
      };
    }
    return {
      statusCode: 500,
      code: 'internal',
      message: 'internal error; quote the correlation id',
      correlationId,
    };
  }
}
