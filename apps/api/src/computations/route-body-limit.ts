import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * The body limit of `POST /v1/computations`: a dot product's weights are one number per dataset row, and 10^6
 * weights as JSON take up to ~24 MB. 32 MiB on that route only; every other route keeps `BODY_LIMIT_BYTES`.
 * Beyond it the answer is Fastify's 413, mapped by the error filter like any other too-large body.
 */
export const COMPUTATION_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** Marks a route whose JSON body may be larger than the global limit (see `applyRouteBodyLimits`). */
export const BodyLimit = (bytes: number) => RouteConfig({ bodyLimit: bytes });

/** Gives each route marked `@BodyLimit(n)` its own Fastify body limit; call before the routes are registered. */
export function applyRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const config: { bodyLimit?: unknown } | undefined = route.config;
    const bytes = config?.bodyLimit;
    if (typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes > 0) route.bodyLimit = bytes;
  });
}
