import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EncodedBody } from './encoded-body.js';
import { ViewCache } from './view-cache.js';

/** What the cached views of a scope are made from: each new version object starts afresh. */
export type ViewVersion = () => Promise<object>;

const SERVED = Symbol('nospy.servedFromCache');
const VERSION = Symbol('nospy.viewVersion');

interface CachedRequest extends FastifyRequest {
  [SERVED]?: boolean;
  [VERSION]?: object;
}

/**
 * Serves a scope's `GET` views once per data version: the first request serialises a view as the
 * route answers it; later requests for the same URL and version get the same bytes, with a
 * strong `ETag` (and `304 Not Modified` for a client that already holds them) and gzip or brotli
 * made once, instead of running the query, the schema serializer and compression every time.
 * Only `200` JSON answers are kept. The lookup is an `onRequest` hook of the scope, after the
 * guards of the scopes around it (which run on every request) and before query validation, which
 * a kept view already passed under the same URL.
 */
export function cacheViews(scope: FastifyInstance, version: ViewVersion): void {
  const cache = new ViewCache<object>();
  scope.addHook('onRequest', async (request: CachedRequest, reply) => {
    if (request.method !== 'GET') return;
    const current = await version();
    request[VERSION] = current;
    const view = cache.get(current, request.url);
    if (view === undefined) return;
    request[SERVED] = true;
    await send(request, reply, view);
  });
  scope.addHook('onSend', (request: CachedRequest, reply, payload) => {
    const current = request[VERSION];
    if (request[SERVED] === true || current === undefined) return Promise.resolve(payload);
    if (reply.statusCode !== 200 || typeof payload !== 'string') return Promise.resolve(payload);
    const type = String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8');
    const view = new EncodedBody(Buffer.from(payload), type);
    cache.set(current, request.url, view);
    return Promise.resolve(prepare(request, reply, view));
  });
}

async function send(request: FastifyRequest, reply: FastifyReply, view: EncodedBody) {
  const body = prepare(request, reply, view);
  await reply.type(view.type).send(body);
}

/** Sets the view's validators and coding on the reply and returns the bytes to send. */
function prepare(request: FastifyRequest, reply: FastifyReply, view: EncodedBody): Buffer | '' {
  // The views are an operator's data behind a token: revalidate each time, share no cache.
  void reply
    .header('etag', view.etag)
    .header('cache-control', 'private, no-cache')
    .header('vary', 'accept-encoding, authorization');
  if (view.matches(request.headers['if-none-match'])) {
    void reply.code(304);
    return '';
  }
  const { coding, body } = view.encoded(request.headers['accept-encoding']);
  if (coding !== 'identity') void reply.header('content-encoding', coding);
  return body;
}
