import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notInReport } from '../api/errors.js';
import { deviceFindings, firmwareStatus } from '../api/query.js';
import { DeviceResponse, DevicesResponse, IdParam, BY_ID_ERRORS } from '../api/schemas.js';
import type { ReadRouteOptions } from '../api/api-snapshot.js';

/** `GET /v1/devices` (each with its firmware verdict) and `/v1/devices/<id>` (the device page). */
export const deviceRoutes: FastifyPluginAsyncZod<ReadRouteOptions> = (app, { snapshots }) => {
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
      const s = await snapshots.snapshot();
      return {
        devices: s.devices.map((d) => ({
          id: d.id,
          vendor: d.vendor,
          ...(d.vendorName === undefined ? {} : { vendorName: d.vendorName }),
          ...(d.model === undefined ? {} : { model: d.model }),
          ...(d.release === undefined ? {} : { release: d.release }),
          firmware: d.firmware,
          firmwareStatus: firmwareStatus(d, deviceFindings(s, d)),
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
        response: { 200: DeviceResponse, ...BY_ID_ERRORS },
      },
    },
    async (request) => {
      const s = await snapshots.snapshot();
      const device = s.devices.find((d) => d.id === request.params.id);
      if (device === undefined) throw notInReport('device', request.params.id);
      const findings = deviceFindings(s, device);
      const release = s.releases.find((r) => r.digest === device.release);
      return {
        ...device,
        firmwareStatus: firmwareStatus(device, findings),
        findings: findings.length,
        findingList: findings,
        ...(release === undefined
          ? {}
          : {
              releaseInfo: {
                digest: release.digest,
                version: release.version,
                index: release.index,
                sbom: release.sbom.digest,
                mud: release.mud.digest,
              },
            }),
      };
    },
  );
  return Promise.resolve();
};
