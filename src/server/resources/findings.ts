import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notInReport } from '../api/errors.js';
import { filterFindings, findingHistory } from '../api/query.js';
import {
  QUERY_ERRORS,
  FindingSchema,
  FindingsQuery,
  FindingsResponse,
  HistoryResponse,
  IdParam,
  BY_ID_ERRORS,
} from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';

/** `GET /v1/findings` (filtered), `/v1/findings/history` (per day) and `/v1/findings/<id>`. */
export const findingRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (app, { snapshots }) => {
  app.get(
    '/v1/findings',
    {
      schema: {
        tags: ['read'],
        summary: 'Findings, filtered',
        querystring: FindingsQuery,
        response: { 200: FindingsResponse, ...QUERY_ERRORS },
      },
    },
    async (request) => {
      const s = await snapshots.snapshot();
      const findings = filterFindings(s.findings, request.query);
      return { findings, total: findings.length };
    },
  );

  // Registered before `/v1/findings/:id`; a static segment wins in find-my-way anyway.
  app.get(
    '/v1/findings/history',
    {
      schema: {
        tags: ['read'],
        summary: 'Findings by kind and severity per day of firstSeen',
        response: { 200: HistoryResponse },
      },
    },
    async () => ({ days: findingHistory((await snapshots.snapshot()).findings) }),
  );

  app.get(
    '/v1/findings/:id',
    {
      schema: {
        tags: ['read'],
        summary: 'One finding with its evidence',
        params: IdParam,
        response: { 200: FindingSchema, ...BY_ID_ERRORS },
      },
    },
    async (request) => {
      const found = (await snapshots.snapshot()).findings.find((f) => f.id === request.params.id);
      if (found === undefined) throw notInReport('finding', request.params.id);
      return found;
    },
  );
  return Promise.resolve();
};
