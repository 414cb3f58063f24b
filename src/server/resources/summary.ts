import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { countFindings } from '../api/query.js';
import { SummaryResponse } from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';

/** `GET /v1/summary`: findings by kind and severity, counts, and the log. */
export const summaryRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (app, { snapshots }) => {
  app.get(
    '/v1/summary',
    {
      schema: {
        tags: ['read'],
        summary: 'Findings, devices, vendors, releases and the log',
        response: { 200: SummaryResponse },
      },
    },
    async () => {
      const s = await snapshots.snapshot();
      return {
        generatedAt: s.generatedAt,
        checked: s.notChecked === undefined,
        ...(s.notChecked === undefined ? {} : { reason: s.notChecked }),
        ...(s.computedAt === undefined ? {} : { computedAt: s.computedAt }),
        findings: { total: s.findings.length, ...countFindings(s.findings) },
        devices: s.devices.length,
        vendors: s.vendors.length,
        releases: s.releases.length,
        log: s.log,
      };
    },
  );
  return Promise.resolve();
};
