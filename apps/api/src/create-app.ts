import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { JsonLogger, type AppConfig, type Clock } from '@app/core';
import { AppModule } from './app.module.js';
import { applyRouteBodyLimits } from './computations/route-body-limit.js';
import { serveConsole } from './http/console-site.js';
import { registerEdgeHooks } from './http/edge-hooks.js';
import { bindCorrelation, fastifyLogging } from './logging/fastify-log-options.js';
import { ErrorFilter } from './http/error.filter.js';
import { ErrorResponse } from './http/error.response.js';
import { acceptedCorrelationId } from './http/input-rules.js';
import { validationPipe } from './http/validation.pipe.js';

const CORRELATION_HEADER = 'x-correlation-id';

/** Builds the HTTP application (not yet listening): used by main and by the end-to-end tests alike. */
export async function createApp(config: AppConfig, clock?: Clock): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    // The client's correlation id is kept only when it is a UUID: anything else would be echoed and logged as given.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) =>
      acceptedCorrelationId(request.headers[CORRELATION_HEADER]) ?? randomUUID(),
    ...(config.env === 'test' ? { logger: false } : fastifyLogging(config.logLevel)),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, clock), adapter, {
    logger: new JsonLogger(config.env === 'test' ? 'error' : config.logLevel),
    bufferLogs: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  bindCorrelation(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(CORRELATION_HEADER, request.id);
  });
  registerEdgeHooks(fastify);
  applyRouteBodyLimits(fastify);
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Data exchange API')
      .setDescription('Registration, admission, identity and access of the data-element exchange')
      .setVersion('1')
      .addBearerAuth()
      .addGlobalResponse(
        { status: '4XX', description: 'The request was refused; `message` says why', type: ErrorResponse },
        { status: '5XX', description: 'A server fault; quote `correlationId`', type: ErrorResponse },
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  await serveConsole(fastify);
  await app.init();
  await fastify.ready();
  return app;
}
