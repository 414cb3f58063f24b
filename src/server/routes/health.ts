import type { FastifyPluginAsync } from 'fastify';
import type { LogRouteOptions } from '../log-server.js';

/** `/healthz`: the process answers. `/readyz`: the log takes entries (not closing, not failed). */
export const healthRoutes: FastifyPluginAsync<LogRouteOptions> = (app, options) => {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', (_request, reply) => {
    const ready = options.log.ready;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'unavailable',
      size: options.log.checkpoint.size,
    });
  });
  return Promise.resolve();
};
