import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { packFindings } from '../api/query.js';
import { ComplianceResponse } from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';

/** `GET /v1/compliance`: per rule pack, its findings, vendor shares against caps, deadlines, plan. */
export const complianceRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (app, { snapshots }) => {
  app.get(
    '/v1/compliance',
    {
      schema: {
        tags: ['read'],
        summary: 'Per rule pack: findings, vendor shares vs caps, deadlines, plan',
        response: { 200: ComplianceResponse },
      },
    },
    async () => {
      const s = await snapshots.snapshot();
      return {
        packs: s.compliance.map((p) => ({
          ...p,
          findings: packFindings(s.findings, p.pack),
          domains: p.domains.map((d) => ({
            ...d,
            // A share is over the cap only for the vendors the cap restricts.
            shares: d.shares.map((share) => {
              const capped = share.capped ?? true;
              return { ...share, capped, overCap: capped && share.share > d.cap };
            }),
          })),
          deadlines: [...p.deadlines],
          pending: (p.pending ?? []).map((r) => ({ ...r, waitsFor: [...r.waitsFor] })),
          plan: [...p.plan],
        })),
      };
    },
  );
  return Promise.resolve();
};
