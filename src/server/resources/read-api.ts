import type { FastifyPluginAsync } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { ApiError } from '../api/errors.js';
import { cacheViews } from '../http/cached-views.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';
import { complianceRoutes } from './compliance.js';
import { deviceRoutes } from './devices.js';
import { findingEvidenceRoutes } from './finding-evidence.js';
import { findingRoutes } from './findings.js';
import { releaseRoutes } from './releases.js';
import { summaryRoutes } from './summary.js';
import { vendorRoutes } from './vendors.js';

/**
 * The REST read API under `/v1`: summary, findings (filtered, one, per-day history), devices,
 * vendors, releases and compliance, one module per resource, all answered from the snapshot source's cached
 * snapshot. Queries and responses go through the zod schemas in `api/schemas.ts` (which also
 * generate `/openapi.json`); a query or path id they refuse is `400 API_BAD_REQUEST` naming it.
 */
export const readApiRoutes: FastifyPluginAsync<ReadRouteOptions> = async (app, options) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request) => {
    if (!hasZodFastifySchemaValidationErrors(error)) throw error;
    const detail = error.validation
      .map((issue) => `${issue.instancePath || '/'}: ${issue.message ?? 'invalid'}`)
      .join('; ');
    // Rethrown errors (this one and any other) go to the server's handler, which answers them.
    throw new ApiError('API_BAD_REQUEST', `${request.url}: ${detail}`);
  });
  // Each view is serialised once per snapshot: a new snapshot (the log grew) is a new version.
  cacheViews(app, () => options.snapshots.snapshot());
  await app.register(summaryRoutes, options);
  await app.register(findingRoutes, options);
  await app.register(findingEvidenceRoutes, options);
  await app.register(deviceRoutes, options);
  await app.register(vendorRoutes, options);
  await app.register(releaseRoutes, options);
  await app.register(complianceRoutes, options);
};
