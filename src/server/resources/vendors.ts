import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notInReport } from '../api/errors.js';
import { clauseFindings, findVendor, vendorFindings } from '../api/query.js';
import { IdParam, BY_ID_ERRORS, VendorResponse, VendorsResponse } from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';

/** `GET /v1/vendors` (each with its agreement) and `/v1/vendors/<id>` (the vendor page). */
export const vendorRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (app, { snapshots }) => {
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
      const s = await snapshots.snapshot();
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
                  pending: v.agreement.clauses.filter((c) => c.status === 'pending').length,
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
        response: { 200: VendorResponse, ...BY_ID_ERRORS },
      },
    },
    async (request) => {
      const s = await snapshots.snapshot();
      const v = findVendor(s, request.params.id);
      if (v === undefined) throw notInReport('vendor', request.params.id);
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
  return Promise.resolve();
};
