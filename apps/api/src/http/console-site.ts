import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths that belong to the API: never answered with the console, so an unknown API path stays a JSON 404. */
const API_PREFIXES = ['/v1/', '/v1', '/docs', '/openapi.json', '/health'];

/**
 * The console's own rules for the browser: scripts and connections only to this origin (the console calls no one
 * else; a wallet extension injects its provider itself), styles inline because the component library sets them so.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The repository's root: the first folder above this file with a package.json (the same from src/ and dist/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const CONSOLE_DIR = join(repositoryRoot(), 'dist', 'console');

const isApiPath = (url: string) =>
  API_PREFIXES.some(
    (prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`),
  );

/**
 * Serves the built web console (dist/console, `npm run build`) at `/`: its hashed assets cached for a year, and
 * index.html for any other GET that asks for HTML outside the API's paths, so the console's own routes
 * (/merchant/assets, …) load on a reload or a shared link. Requests that do not ask for HTML (curl, API clients)
 * still get the API's JSON 404. Nothing is registered when the console was not built.
 */
export async function serveConsole(fastify: FastifyInstance, root = CONSOLE_DIR): Promise<boolean> {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  const assets = join(root, 'assets');
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    cacheControl: false,
    preCompressed: true, // the build writes .br and .gz beside each asset
    setHeaders: (reply, path) => {
      void reply
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header(
          'cache-control',
          path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
    },
  });
  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (!wantsHtml || isApiPath(request.url)) return reply.callNotFound();
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(index);
  };
  fastify.get('/', sendIndex);
  fastify.get('/*', sendIndex);
  return true;
}
