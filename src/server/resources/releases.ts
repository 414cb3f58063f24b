import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ReleasesResponse } from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/view.js';

/** `GET /v1/releases`: the releases the log holds. */
export const releaseRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (app, { view }) => {
  app.get(
    '/v1/releases',
    { schema: { tags: ['read'], summary: 'Logged releases', response: { 200: ReleasesResponse } } },
    async () => ({ releases: [...(await view.snapshot()).releases] }),
  );
  return Promise.resolve();
};
