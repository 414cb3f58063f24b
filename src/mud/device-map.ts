/**
 * The device map and access-grant files' schemas (pure); `load.ts` reads the files, and the MUD
 * files and contexts a map names.
 */
import { z } from 'zod';
import { canonicalAddress, parsePrefix } from './ip.js';

/** Largest device map or grant file read (by `loadDeviceMap`, `loadGrants`). */
export const MAX_DEVICE_MAP_BYTES = 4 * 1024 * 1024;

const port = z.number().int().min(0).max(65535);
const address = z
  .string()
  .refine((t) => canonicalAddress(t) !== undefined, 'not an IPv4 or IPv6 address');
const network = z
  .string()
  .refine((t) => parsePrefix(t) !== undefined, 'not an address or CIDR prefix');
const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'an ISO 8601 time with a zone, e.g. 2026-01-01T08:00:00Z',
  )
  .transform((t) => Date.parse(t));

/**
 * The device-to-MUD map (`nospy flows check --devices`): each device's id, addresses, the MUD
 * file of the release it runs and its operator context (paths relative to the map file). `mud`
 * may instead name the MUD file by digest, `sha256:<hex>`, when it is read from a blob store
 * (`nospy check` resolves it among the MUD files the logged releases name).
 */
export const deviceMapSchema = z.strictObject({
  management_ports: z.array(port).max(1024).optional(),
  devices: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(256),
        addresses: z.array(address).max(1024).optional(),
        mud: z.string().min(1),
        context: z.string().min(1),
        management_ports: z.array(port).max(1024).optional(),
      }),
    )
    .min(1)
    .max(100_000)
    .refine(
      (list) => new Set(list.map((d) => d.id)).size === list.length,
      'device ids must be unique',
    ),
});

/** Access grants (`--grants`): who may reach which devices' management plane, from where, when. */
export const grantsSchema = z.strictObject({
  grants: z
    .array(
      z
        .strictObject({
          id: z.string().min(1).max(256),
          devices: z.array(z.string().min(1)).min(1).max(100_000),
          sources: z.array(network).min(1).max(4096),
          ports: z.array(port).max(1024).default([]),
          from: instant,
          until: instant,
        })
        .refine((g) => !(g.from > g.until), 'from must not be after until'),
    )
    .max(100_000),
});
