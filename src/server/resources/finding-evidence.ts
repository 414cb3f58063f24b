import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatFindingFile } from '../../check/finding-file.js';
import { notInReport } from '../api/errors.js';
import { BY_ID_ERRORS, IdParam } from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';

/**
 * `GET /v1/findings/<id>/evidence`: the finding's `nospy-finding/v1` file, as `nospy check
 * --evidence` writes it, which `nospy verify` checks offline (with the documents its policy
 * evidence names by digest).
 */
export const findingEvidenceRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (
  app,
  { snapshots },
) => {
  app.get(
    '/v1/findings/:id/evidence',
    {
      schema: {
        tags: ['read'],
        summary: "The finding's evidence file (nospy-finding/v1) for nospy verify",
        params: IdParam,
        response: { 200: z.string(), ...BY_ID_ERRORS },
      },
    },
    async (request, reply) => {
      const s = await snapshots.snapshot();
      const finding = s.findings.find((f) => f.id === request.params.id);
      if (finding === undefined) throw notInReport('finding', request.params.id);
      const logged = finding.evidence.some((e) => e.type === 'policy' && e.logged !== undefined);
      const text = formatFindingFile({
        evaluatedAt: s.generatedAt,
        finding,
        ...(logged && s.documents !== undefined ? { blobs: s.documents } : {}),
      });
      // The id is letters, digits and ._:@- (IdParam): safe in a quoted filename.
      return reply
        .type('application/json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${finding.id.replaceAll(':', '_')}.json"`,
        )
        .send(text);
    },
  );
  return Promise.resolve();
};
