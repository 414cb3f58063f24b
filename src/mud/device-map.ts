import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { AccessGrant, BehaviourDevice } from './behaviour.js';
import { compileMud } from './compile.js';
import { loadMudContext } from './context.js';
import { canonicalAddress, parsePrefix } from './ip.js';
import { MudError } from './errors.js';
import { loadMudFile } from './load.js';
import type { MudFile } from './model.js';
import { parseMudText } from './parse.js';
import { loadYamlWith } from './yaml-file.js';

/** Largest device map or grant file read. */
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

/** A MUD reference by content: `sha256:` and 64 lowercase hex digits. */
const MUD_DIGEST = /^sha256:([0-9a-f]{64})$/;

export interface DeviceMapOptions {
  /**
   * The MUD file text with this hex SHA-256, for `mud: sha256:<hex>` references; undefined when
   * it is not available. Without it, a digest reference is an error.
   */
  readonly mudByDigest?: (sha256Hex: string) => string | undefined;
}

/**
 * Loads a device map and, for each device, its MUD file and context, compiled. Addresses
 * default to the context's device addresses.
 */
export function loadDeviceMap(file: string, options: DeviceMapOptions = {}): BehaviourDevice[] {
  const map = loadYamlWith(file, deviceMapSchema, 'MUD_DEVICES_INVALID', MAX_DEVICE_MAP_BYTES);
  const base = dirname(file);
  return map.devices.map((entry) => {
    const context = loadMudContext(resolve(base, entry.context));
    const matcher = compileMud(mudOf(file, base, entry.id, entry.mud, options), context);
    const addresses =
      entry.addresses?.map((a) => canonicalAddress(a) ?? a) ?? context.device.addresses;
    return {
      id: entry.id,
      addresses,
      matcher,
      localNetworks: context.localNetworks,
      managementPorts: entry.management_ports ?? map.management_ports,
    };
  });
}

function mudOf(
  file: string,
  base: string,
  device: string,
  ref: string,
  options: DeviceMapOptions,
): MudFile {
  const digest = MUD_DIGEST.exec(ref)?.[1];
  if (digest === undefined) return loadMudFile(resolve(base, ref));
  const text = options.mudByDigest?.(digest);
  if (text === undefined) {
    throw new MudError(
      'MUD_DEVICES_INVALID',
      `${file}: device ${device} names MUD file ${ref}, which no available source holds`,
      { where: file },
    );
  }
  try {
    return parseMudText(text);
  } catch (error) {
    if (!(error instanceof MudError)) throw error;
    throw new MudError(error.code, `${ref} (device ${device}): ${error.message}`, {
      where: `${ref}:${error.where ?? '$'}`,
      cause: error,
    });
  }
}

/** Loads access grants from YAML. */
export function loadGrants(file: string): AccessGrant[] {
  return loadYamlWith(file, grantsSchema, 'MUD_GRANTS_INVALID', MAX_DEVICE_MAP_BYTES).grants;
}
