import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { EncodedBody } from './http/encoded-body.js';

/** Where `npm run build:web` puts the dashboard (same relative path from src/ and dist/). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface DashboardOptions {
  /** The built dashboard: `index.html` and `assets/`. */
  readonly dir: string;
}

/** Whether a built dashboard is in `dir`. */
export function hasDashboard(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * Serves the built dashboard: `GET /` (index.html) and `GET /assets/<file>`. The files are read
 * once at start (a few hundred KiB), so a request never touches the disk nor a path built from
 * its URL; asset names carry a content hash, so they are cached for good. Every other path stays
 * with the API and log routes.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardOptions> = (app, { dir }) => {
  // Each file is hashed once and compressed once on first demand (gzip, brotli).
  const index = new EncodedBody(
    readFileSync(join(dir, 'index.html')),
    TYPES['.html'] ?? 'text/html',
  );
  const assets = new Map<string, EncodedBody>();
  const assetDir = join(dir, 'assets');
  if (existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      const type = TYPES[extname(name)];
      if (type !== undefined)
        assets.set(name, new EncodedBody(readFileSync(join(assetDir, name)), type));
    }
  }
  app.get('/', { schema: { hide: true } }, (request, reply) =>
    sendFile(request, reply.header('cache-control', 'no-cache'), index),
  );
  app.get('/assets/:file', { schema: { hide: true } }, (request, reply) => {
    const asset = assets.get((request.params as { file: string }).file);
    if (asset === undefined) {
      reply.callNotFound();
      return reply;
    }
    return sendFile(
      request,
      reply.header('cache-control', 'public, max-age=31536000, immutable'),
      asset,
    );
  });
  return Promise.resolve();
};

function sendFile(request: FastifyRequest, reply: FastifyReply, file: EncodedBody) {
  void reply.header('etag', file.etag).header('vary', 'accept-encoding');
  if (file.matches(request.headers['if-none-match'])) return reply.code(304).send();
  const { coding, body } = file.encoded(request.headers['accept-encoding']);
  if (coding !== 'identity') void reply.header('content-encoding', coding);
  return reply.type(file.type).send(body);
}
