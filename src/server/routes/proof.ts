import type { FastifyPluginAsync } from 'fastify';
import { inclusionProof } from '../../tlog/tree.js';
import { formatTlogProof } from '../../tlog/proof-bundle.js';
import type { LogRouteOptions } from '../log-server.js';
import { sendError } from '../error-reply.js';

const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;

/** `GET /proof/<index>`: a c2sp.org/tlog-proof@v1 bundle for the entry against the published checkpoint. */
export const proofRoutes: FastifyPluginAsync<LogRouteOptions> = (app, { log, tree }) => {
  app.get('/proof/:index', async (request, reply) => {
    const text = (request.params as { index: string }).index;
    const index = Number(text);
    if (!DECIMAL.test(text) || !Number.isSafeInteger(index)) {
      return sendError(
        reply,
        400,
        'LOG_USAGE',
        `"${text.slice(0, 32)}" is not a leaf index (a decimal number)`,
      );
    }
    const published = log.published;
    if (index >= published.size) {
      return sendError(
        reply,
        404,
        'LOG_NOT_FOUND',
        `leaf ${index} is not in the published checkpoint of size ${published.size}`,
      );
    }
    const proof = await tree.compute(published.size, (read) =>
      inclusionProof(index, published.size, read),
    );
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=5')
      .send(
        formatTlogProof({ index, proof, checkpoint: published.cosignedNote ?? published.note }),
      );
  });
  return Promise.resolve();
};
