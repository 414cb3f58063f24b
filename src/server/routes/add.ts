import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { MAX_ENTRY_BYTES } from '../../tlog/tiles.js';
import type { LogRouteOptions } from '../log-server.js';
import { sendError } from '../error-reply.js';

export interface AddRouteOptions extends LogRouteOptions {
  readonly submitToken: string | undefined;
}

/**
 * `POST /add`: one raw entry as the request body, from a submitter holding the bearer token.
 * Answers `{"index": N, "leafHash": "<hex>"}` only once the entry is durable and in a signed
 * checkpoint (and cosigned by the witness quorum, when one is configured).
 */
export const addRoutes: FastifyPluginAsync<AddRouteOptions> = (app, { log, submitToken }) => {
  const expected = submitToken === undefined ? undefined : digest(submitToken);
  // Any content type: the entry is opaque bytes. The limit is enforced while reading, so an
  // oversized body is refused (413) without being buffered (Fastify checks Content-Length first).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: MAX_ENTRY_BYTES },
    (_req, body, done) => {
      done(null, body);
    },
  );

  // Authenticate before the body is read (onRequest runs before parsing).
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    // Compare digests in constant time so the token does not leak through timing.
    if (
      expected === undefined ||
      match?.[1] === undefined ||
      !timingSafeEqual(digest(match[1]), expected)
    ) {
      await sendError(
        reply,
        401,
        'LOG_UNAUTHORIZED',
        expected === undefined
          ? 'this log takes no submissions: it was started without a submit token'
          : 'POST /add needs the header "Authorization: Bearer <submit token>"',
      );
    }
  });

  app.post('/add', async (request, reply) => {
    const body = request.body;
    const entry = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const { index, leafHash } = await log.add(entry);
    return reply.send({ index, leafHash: leafHash.toString('hex') });
  });
  return Promise.resolve();
};

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
