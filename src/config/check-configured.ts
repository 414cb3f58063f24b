import type { NospyConfig } from './schema.js';

/**
 * Why a configuration gives `nospy check` and the server's read API nothing to check, or
 * undefined when it names something: a log, an inventory, a device map, flows, firmware, SBOMs
 * or rule packs. An empty report from an empty configuration reads as an all-clear; callers say
 * "not configured" instead.
 */
export function notCheckedReason(
  config: NospyConfig,
  file: string | undefined,
): string | undefined {
  const c = config.check;
  const named =
    c.log !== undefined ||
    c.inventory !== undefined ||
    c.devices !== undefined ||
    c.flows.length > 0 ||
    c.traffic === 'store' ||
    config.nats.url !== undefined ||
    c.firmware.length > 0 ||
    c.sboms.length > 0 ||
    c.packs.length > 0;
  if (named) return undefined;
  return file === undefined
    ? 'not configured: no configuration file (no nospy.yaml in the working directory, no --config, no NOSPY_CONFIG) names what to check; start the server with --config <file> whose check: section names the log, inventory, flows, firmware, SBOMs or rule packs'
    : `not configured: ${file} has no check: section naming the log, inventory, flows, firmware, SBOMs or rule packs to check`;
}
