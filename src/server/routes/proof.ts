import type { FastifyPluginAsync } from 'fastify';
import { inclusionProof } from '../../tlog/tree.js';
import { formatTlogProof } from '../../tlog/proof-bundle.js';
import { LogError } from '../../log/errors.js';
import type { LogRouteOptions } from '../log-routes.js';
import { parseIndexParam } from './index-param.js';

/** `GET /proof/<index>`: a c2sp.org/tlog-proof@v1 bundle for the entry against the published checkpoint. */
export const proofRoutes: FastifyPluginAsync<LogRouteOptions> = (app, { log, tree }) => {
  app.get('/proof/:index', async (request, reply) => {
    const text = (request.params as { index: string }).index;
    const index = parseIndexParam(text);
    if (index === undefined) {
      throw new LogError(
        'LOG_USAGE',
        `"${text.slice(0, 32)}" is not a leaf index (a decimal number)`,
      );
    }
    const published = log.published;
    if (index >= published.size) {
      throw new LogError(
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
