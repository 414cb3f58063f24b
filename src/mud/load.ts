/**
 * The MUD part's loader, its only module that does I/O: MUD files, operator contexts, device maps
 * and access grants read from disk (each size-bounded before it is read), then handed to the pure
 * parsers and schemas (`parse.ts`, `context.ts`, `device-map.ts`, `parse-yaml.ts`).
 */
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { readBoundedFile, readBoundedText } from '../io/bounded-read.js';
import type { AccessGrant, BehaviourDevice } from './behaviour.js';
import { compileMud } from './compile.js';
import { MAX_CONTEXT_BYTES, mudContextSchema, toMudContext, type MudContext } from './context.js';
import { deviceMapSchema, grantsSchema, MAX_DEVICE_MAP_BYTES } from './device-map.js';
import { MudError, type MudErrorCode } from './errors.js';
import { canonicalAddress } from './ip.js';
import type { MudFile } from './model.js';
import { MUD_LIMITS, parseMudText } from './parse.js';
import { parseYamlWith } from './parse-yaml.js';

/**
 * Reads and parses a MUD file from disk (size-bounded before reading). Errors keep their code
 * and JSON path, prefixed with the file name: `device.json: $.ietf-mud:mud.mud-url: …`.
 */
export function loadMudFile(file: string): MudFile {
  const text = readBoundedText(file, {
    maxBytes: MUD_LIMITS.maxBytes,
    what: 'MUD file',
    failure: (error) =>
      new MudError(
        error.code === 'INPUT_TOO_LARGE' ? 'MUD_LIMIT' : 'MUD_UNREADABLE',
        error.message,
        { where: file, cause: error },
      ),
  });
  try {
    return parseMudText(text);
  } catch (error) {
    if (!(error instanceof MudError)) throw error;
    throw new MudError(error.code, `${file}: ${error.message}`, {
      where: `${file}:${error.where ?? '$'}`,
      cause: error,
    });
  }
}

/** Reads and validates a context YAML file (`nospy mud check --context`). */
export function loadMudContext(file: string): MudContext {
  return toMudContext(
    loadYamlWith(file, mudContextSchema, 'MUD_CONTEXT_INVALID', MAX_CONTEXT_BYTES),
  );
}

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

/** Reads a YAML file of at most `maxBytes` and validates it; see {@link parseYamlWith}. */
function loadYamlWith<S extends z.ZodType>(
  file: string,
  schema: S,
  code: MudErrorCode,
  maxBytes: number,
): z.output<S> {
  const bytes = readBoundedFile(file, {
    maxBytes,
    failure: (error) =>
      new MudError(error.code === 'INPUT_TOO_LARGE' ? code : 'MUD_UNREADABLE', error.message, {
        where: file,
        cause: error,
      }),
  });
  return parseYamlWith(bytes.toString('utf8'), file, schema, code);
}
