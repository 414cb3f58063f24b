import swagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { LogServer } from './log-server.js';

/**
 * Registers @fastify/swagger so that `GET /openapi.json` is generated from the routes' zod schemas
 * (OpenAPI 3.0.3). Must run before the routes it documents are registered: swagger collects them
 * with an onRoute hook.
 */
export function registerOpenApi(app: LogServer, version: string): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'nospy',
        description:
          'The nospy read API (findings, devices, vendors, releases, compliance) beside the c2sp.org/tlog-tiles log and the statement API.',
        version,
      },
    },
    transform: jsonSchemaTransform,
    // The openapi route itself and the metrics are not part of the product API.
    hideUntagged: false,
  });
  app.get('/openapi.json', { schema: { hide: true } }, (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(app.swagger()),
  );
}
