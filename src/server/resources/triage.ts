import { auditWrite } from '../audit-line.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Finding } from '../../check/finding.js';
import { triageInForce, triageProblem } from '../../check/finding-history.js';
import type { FindingStorePort } from '../../store/finding-store-port.js';
import { ApiError } from '../api/errors.js';
import { BY_ID_ERRORS, ErrorResponse, IdParam } from '../api/schemas.js';
import { TriageBody, TriageResponse } from '../api/triage-schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';
import { AccessTokens } from '../auth/access-tokens.js';
import { bearerToken } from '../auth/bearer.js';
import { requireScope } from '../auth/require-scope.js';

interface TriageRouteOptions extends ReadRouteOptions {
  readonly findingStore: FindingStorePort;
  readonly findingById: (id: string) => Promise<Finding>;
}

/**
 * `GET` and `POST /v1/findings/<id>/triage`: an analyst's decisions on a finding, kept as history.
 * Writing needs the `triage` scope (on a server without a tokens file, which only a loopback
 * address allows, anyone who may read may triage, recorded as `operator`). A decision changes
 * neither the finding's evidence nor `nospy check`'s exit code.
 */
export const triageRoutes: FastifyPluginAsyncZod<TriageRouteOptions> = (
  app,
  { findingStore, findingById, tokens },
) => {
  const holders = tokens ?? new AccessTokens({});
  const answer = async (id: string) => {
    const history = (await findingStore.triage()).get(id) ?? [];
    const inForce = triageInForce(history, new Date());
    return { ...(inForce === undefined ? {} : { triage: inForce }), history };
  };

  app.get(
    '/v1/findings/:id/triage',
    {
      schema: {
        tags: ['read'],
        summary: "A finding's triage: the decision in force and every decision",
        params: IdParam,
        response: { 200: TriageResponse, ...BY_ID_ERRORS },
      },
    },
    async (request) => {
      await findingById(request.params.id);
      return answer(request.params.id);
    },
  );

  app.post(
    '/v1/findings/:id/triage',
    {
      onRequest: requireScope(holders, 'triage'),
      schema: {
        tags: ['triage'],
        summary:
          'Record a triage decision (acknowledged, false positive, accepted risk until a day)',
        params: IdParam,
        body: TriageBody,
        response: { 201: TriageResponse, ...BY_ID_ERRORS, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await findingById(id);
      const problem = triageProblem(request.body);
      if (problem !== undefined) throw new ApiError('API_BAD_REQUEST', problem);
      const holder = holders.holderOf(bearerToken(request.headers.authorization));
      const by =
        holder === undefined ? 'operator' : holder.name === '' ? 'unnamed token' : holder.name;
      await findingStore.addTriage({
        finding: id,
        state: request.body.state,
        by,
        at: new Date().toISOString(),
        reason: request.body.reason,
        ...(request.body.until === undefined ? {} : { until: request.body.until }),
      });
      auditWrite(request.log, {
        action: 'triage.add',
        by: { token: by },
        finding: id,
        state: request.body.state,
      });
      void reply.code(201);
      return answer(id);
    },
  );
  return Promise.resolve();
};
