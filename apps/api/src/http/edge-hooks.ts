import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  MAX_JSON_DEPTH,
  bodyTextProblem,
  jsonDeeperThan,
  paramsProblem,
  queryProblem,
  type TextProblem,
} from './input-rules.js';
import { RAW_UPLOAD_TYPE, RawUpload, acceptsRawUpload } from './raw-upload.js';

export const ACCEPTED_BODY_TYPE = 'application/json';

const refuse = (problem: TextProblem) =>
  new BadRequestException({
    code: problem.code ?? 'invalid_text',
    message: `${problem.field} ${problem.message}`,
  });

/**
 * The request checks every route shares, run by Fastify before the route (and before authentication: they are
 * cheap and say nothing about who may call what):
 * - bodies are JSON only; any other content type is a 415 that names the accepted one (routes marked
 *   `@AcceptsRawUpload()` also take `application/octet-stream`, handed to them unread); a GET or HEAD with a body
 *   is a 400 (Fastify would ignore the body, and a client that sends one meant something by it);
 * - a JSON body deeper than MAX_JSON_DEPTH is a 400 before it is parsed;
 * - control characters and broken Unicode in the body, the query and the path are a 400 naming the field;
 * - a repeated query parameter is a 400 that says so.
 * Nest's own body parsers are off (`bodyParser: false` in createApp), so these parsers are the only ones.
 */
export function registerEdgeHooks(fastify: FastifyInstance): void {
  const defaultJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(ACCEPTED_BODY_TYPE, { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new BadRequestException({
          code: 'too_deeply_nested',
          message: `the JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
        }),
        undefined,
      );
      return;
    }
    void defaultJson(request, text, done);
  });
  const unsupported = (request: FastifyRequest) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
    const shown = /^[\w.+-]{1,60}\/[\w.+-]{1,60}$/.test(type) ? `, not ${type}` : '';
    const accepted = acceptsRawUpload(request) ? RAW_UPLOAD_TYPE : ACCEPTED_BODY_TYPE;
    return new UnsupportedMediaTypeException({
      code: 'unsupported_media_type',
      message: `send the body as ${accepted}${shown}`,
    });
  };
  fastify.addContentTypeParser(RAW_UPLOAD_TYPE, (request, payload, done) => {
    if (acceptsRawUpload(request)) done(null, new RawUpload(payload));
    else done(unsupported(request), undefined);
  });
  fastify.addContentTypeParser('*', (request, _payload, done) => done(unsupported(request), undefined));
  // An answer sent before a raw upload was read to its end (refused by the guard, too large, …) closes the
  // connection: otherwise Node would read, and discard, whatever the client still sends.
  fastify.addHook('onSend', async (request, reply) => {
    if (request.body instanceof RawUpload && !request.body.stream.readableEnded) {
      void reply.header('connection', 'close');
    }
  });
  fastify.addHook('onRequest', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const length = request.headers['content-length'];
    if (request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) {
      throw new BadRequestException({
        code: 'unexpected_body',
        message: `a ${request.method} request takes no body; send its parameters in the query`,
      });
    }
  });
  fastify.addHook('preValidation', async (request) => {
    const problem =
      paramsProblem(request.params) ?? queryProblem(request.query) ?? bodyTextProblem(request.body);
    if (problem) throw refuse(problem);
  });
}
