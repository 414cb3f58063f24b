import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Finding } from '../../check/finding.js';
import { triageInForce, type TriageDecision } from '../../check/finding-history.js';
import type { FindingStorePort } from '../../store/finding-store-port.js';
import { notInReport } from '../api/errors.js';
import { pageFindings, sortedFindings } from '../api/finding-page.js';
import { filterFindings, findingHistory, scopeFindings } from '../api/query.js';
import { QUERY_ERRORS, HistoryResponse, IdParam, BY_ID_ERRORS } from '../api/schemas.js';
import {
  FindingDetailResponse,
  PagedFindingsQuery,
  PagedFindingsResponse,
} from '../api/triage-schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';
import { triageRoutes } from './triage.js';

/** The per-day history of one report's findings, computed once per report. */
const HISTORY = new WeakMap<readonly Finding[], ReturnType<typeof findingHistory>>();

/** The triage decision in force for every finding that has one, judged now. */
export async function triageInForceById(
  store: FindingStorePort | undefined,
): Promise<Map<string, TriageDecision>> {
  const inForce = new Map<string, TriageDecision>();
  if (store === undefined) return inForce;
  const now = new Date();
  for (const [id, decisions] of await store.triage()) {
    const decision = triageInForce(decisions, now);
    if (decision !== undefined) inForce.set(id, decision);
  }
  return inForce;
}

/**
 * `GET /v1/findings` (filtered, sorted, paged), `/v1/findings/history` (per day),
 * `/v1/findings/<id>` (with its history and triage) and the triage routes.
 */
export const findingRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = async (app, options) => {
  const { snapshots, findingStore } = options;
  app.get(
    '/v1/findings',
    {
      schema: {
        tags: ['read'],
        summary: 'Findings, filtered, sorted and paged',
        querystring: PagedFindingsQuery,
        response: { 200: PagedFindingsResponse, ...QUERY_ERRORS },
      },
    },
    async (request) => {
      const s = await snapshots.snapshot();
      const triage = await triageInForceById(findingStore);
      // Sorted once per report and sort; every filter below keeps that order.
      const sorted = sortedFindings(s.findings, request.query.sort, request.query.order);
      const scoped = scopeFindings({ ...s, findings: sorted }, request.query);
      const { page, total, bySeverity } = pageFindings(
        filterFindings(scoped.findings, { ...request.query, ...scoped }),
        triage,
        request.query,
      );
      const findings = page.map((f) => {
        const decision = triage.get(f.id);
        return decision === undefined ? f : { ...f, triage: decision };
      });
      return { findings, total, bySeverity };
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
    async () => {
      const { findings } = await snapshots.snapshot();
      let days = HISTORY.get(findings);
      if (days === undefined) HISTORY.set(findings, (days = findingHistory(findings)));
      return { days };
    },
  );

  /** The finding in the report, else its last version in the history (a resolved finding). */
  const findingById = async (id: string): Promise<Finding> => {
    const found =
      (await snapshots.snapshot()).findings.find((f) => f.id === id) ??
      (await findingStore?.lastVersion(id));
    if (found === undefined) throw notInReport('finding', id);
    return found;
  };

  app.get(
    '/v1/findings/:id',
    {
      schema: {
        tags: ['read'],
        summary: 'One finding with its evidence, history and triage',
        params: IdParam,
        response: { 200: FindingDetailResponse, ...BY_ID_ERRORS },
      },
    },
    async (request) => {
      const id = request.params.id;
      const found = await findingById(id);
      const history = (await snapshots.snapshot()).histories?.get(id);
      const decisions = (await findingStore?.triage())?.get(id) ?? [];
      const inForce = triageInForce(decisions, new Date());
      return {
        ...found,
        ...(history === undefined
          ? {}
          : {
              history: {
                firstSeen: history.firstSeen,
                lastSeen: history.lastSeen,
                firstRun: history.firstRun,
                lastRun: history.lastRun,
                ...(history.resolvedAt === undefined ? {} : { resolvedAt: history.resolvedAt }),
              },
            }),
        ...(inForce === undefined ? {} : { triage: inForce }),
        ...(findingStore === undefined ? {} : { triageHistory: decisions }),
      };
    },
  );
  if (findingStore !== undefined)
    await app.register(triageRoutes, { ...options, findingStore, findingById });
};
