import type { FastifyPluginAsync } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  hasZodFastifySchemaValidationErrors,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { replyWithError } from '../error-reply.js';
import { ApiError } from './errors.js';
import {
  clauseFindings,
  countFindings,
  deviceFindings,
  filterFindings,
  findVendor,
  findingHistory,
  packFindings,
  vendorFindings,
} from './query.js';
import {
  ComplianceResponse,
  DeviceResponse,
  DevicesResponse,
  ErrorResponse,
  FindingSchema,
  FindingsQuery,
  FindingsResponse,
  HistoryResponse,
  IdParam,
  ReleasesResponse,
  SummaryResponse,
  VendorResponse,
  VendorsResponse,
} from './schemas.js';
import type { ProductView } from './view.js';

export interface ApiRouteOptions {
  readonly view: ProductView;
}

const NOT_FOUND = { 404: ErrorResponse };
const BAD_QUERY = { 400: ErrorResponse };

/**
 * The REST read API under `/v1`: summary, findings (filtered, one, per-day history), devices,
 * vendors, releases and compliance, all answered from the view's cached snapshot. Queries and
 * responses go through the zod schemas in `schemas.ts` (which also generate `/openapi.json`).
 */
export const apiRoutes: FastifyPluginAsync<ApiRouteOptions> = (plugin, { view }) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const detail = error.validation
        .map((issue) => `${issue.instancePath || '/'}: ${issue.message ?? 'invalid'}`)
        .join('; ');
      return replyWithError(
        new ApiError('API_BAD_REQUEST', `${request.url}: ${detail}`),
        request,
        reply,
      );
    }
    return replyWithError(
      error instanceof Error ? error : new Error(String(error)),
      request,
      reply,
    );
  });
  const missing = (what: string, id: string) => `no ${what} ${JSON.stringify(id)} in the report`;

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
      const s = await view.snapshot();
      return {
        generatedAt: s.generatedAt,
        findings: { total: s.findings.length, ...countFindings(s.findings) },
        devices: s.devices.length,
        vendors: s.vendors.length,
        releases: s.releases.length,
        log: s.log,
      };
    },
  );

  app.get(
    '/v1/findings',
    {
      schema: {
        tags: ['read'],
        summary: 'Findings, filtered',
        querystring: FindingsQuery,
        response: { 200: FindingsResponse, ...BAD_QUERY },
      },
    },
    async (request) => {
      const s = await view.snapshot();
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
    async () => ({ days: findingHistory((await view.snapshot()).findings) }),
  );

  app.get(
    '/v1/findings/:id',
    {
      schema: {
        tags: ['read'],
        summary: 'One finding with its evidence',
        params: IdParam,
        response: { 200: FindingSchema, ...NOT_FOUND, ...BAD_QUERY },
      },
    },
    async (request) => {
      const found = (await view.snapshot()).findings.find((f) => f.id === request.params.id);
      if (found === undefined)
        throw new ApiError('API_NOT_FOUND', missing('finding', request.params.id));
      return found;
    },
  );

  app.get(
    '/v1/devices',
    {
      schema: {
        tags: ['read'],
        summary: 'Devices with their firmware verdict',
        response: { 200: DevicesResponse },
      },
    },
    async () => {
      const s = await view.snapshot();
      return {
        devices: s.devices.map((d) => ({
          id: d.id,
          vendor: d.vendor,
          ...(d.vendorName === undefined ? {} : { vendorName: d.vendorName }),
          ...(d.model === undefined ? {} : { model: d.model }),
          ...(d.release === undefined ? {} : { release: d.release }),
          firmware: d.firmware,
          findings: deviceFindings(s, d).length,
        })),
      };
    },
  );

  app.get(
    '/v1/devices/:id',
    {
      schema: {
        tags: ['read'],
        summary: 'A device: release, firmware verdict, MUD, traffic, grants, timeline',
        params: IdParam,
        response: { 200: DeviceResponse, ...NOT_FOUND, ...BAD_QUERY },
      },
    },
    async (request) => {
      const s = await view.snapshot();
      const device = s.devices.find((d) => d.id === request.params.id);
      if (device === undefined)
        throw new ApiError('API_NOT_FOUND', missing('device', request.params.id));
      const findings = deviceFindings(s, device);
      const release = s.releases.find((r) => r.digest === device.release);
      return {
        ...device,
        findings: findings.length,
        findingList: findings,
        ...(release === undefined
          ? {}
          : {
              releaseInfo: {
                digest: release.digest,
                version: release.version,
                index: release.index,
              },
            }),
      };
    },
  );

  app.get(
    '/v1/vendors',
    {
      schema: {
        tags: ['read'],
        summary: 'Vendors with their agreement',
        response: { 200: VendorsResponse },
      },
    },
    async () => {
      const s = await view.snapshot();
      return {
        vendors: s.vendors.map((v) => ({
          id: v.id,
          name: v.name,
          devices: s.devices.filter((d) => d.vendor === v.id).length,
          releases: s.releases.filter((r) => r.vendor === v.id).length,
          findings: vendorFindings(s, v).length,
          ...(v.agreement === undefined
            ? {}
            : {
                agreement: v.agreement.index,
                clauses: {
                  kept: v.agreement.clauses.filter((c) => c.status === 'kept').length,
                  broken: v.agreement.clauses.filter((c) => c.status === 'broken').length,
                  notChecked: v.agreement.clauses.filter((c) => c.status === 'not-checked').length,
                },
              }),
        })),
      };
    },
  );

  app.get(
    '/v1/vendors/:id',
    {
      schema: {
        tags: ['read'],
        summary: 'A vendor: agreement clauses, releases, canary history, compliance',
        params: IdParam,
        response: { 200: VendorResponse, ...NOT_FOUND, ...BAD_QUERY },
      },
    },
    async (request) => {
      const s = await view.snapshot();
      const v = findVendor(s, request.params.id);
      if (v === undefined)
        throw new ApiError('API_NOT_FOUND', missing('vendor', request.params.id));
      const releaseList = s.releases.filter((r) => r.vendor === v.id);
      const agreement = v.agreement;
      return {
        id: v.id,
        name: v.name,
        ...(v.aliases === undefined ? {} : { aliases: [...v.aliases] }),
        devices: s.devices.filter((d) => d.vendor === v.id).length,
        releases: releaseList.length,
        findings: vendorFindings(s, v).length,
        ...(agreement === undefined
          ? {}
          : {
              agreement: agreement.index,
              agreementDetail: {
                ...agreement,
                clauses: agreement.clauses.map((c) => ({
                  ...c,
                  findings: c.findings ?? clauseFindings(s.findings, agreement.index, c.id),
                })),
              },
            }),
        releaseList,
        canary: [...v.canary],
        compliance: [...v.compliance],
      };
    },
  );

  app.get(
    '/v1/releases',
    { schema: { tags: ['read'], summary: 'Logged releases', response: { 200: ReleasesResponse } } },
    async () => ({ releases: [...(await view.snapshot()).releases] }),
  );

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
      const s = await view.snapshot();
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
