import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

/** The one body type besides JSON, accepted only by routes marked `@AcceptsRawUpload()` (file uploads). */
export const RAW_UPLOAD_TYPE = 'application/octet-stream';

/**
 * A request body handed to the route unread, to be streamed where it goes (never buffered). The stream is a private
 * field, so the edge's body checks, which walk a parsed body's fields, see an object with none.
 */
export class RawUpload {
  readonly #stream: Readable;

  constructor(stream: Readable) {
    this.#stream = stream;
  }

  get stream(): Readable {
    return this.#stream;
  }
}

/** Marks a route that takes its body as `application/octet-stream`, streamed (see `RawUpload`). */
export const AcceptsRawUpload = () => RouteConfig({ rawUpload: true });

export const acceptsRawUpload = (request: FastifyRequest): boolean =>
  (request.routeOptions?.config as { rawUpload?: boolean } | undefined)?.rawUpload === true;
