import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ReleasesResponse } from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';

/** `GET /v1/releases`: the releases the log holds. */
export const releaseRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (app, { snapshots }) => {
  app.get(
    '/v1/releases',
    { schema: { tags: ['read'], summary: 'Logged releases', response: { 200: ReleasesResponse } } },
    async () => ({ releases: [...(await snapshots.snapshot()).releases] }),
  );
  return Promise.resolve();
};
