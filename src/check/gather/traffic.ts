/**
 * The check's traffic verdicts from a traffic store: the aggregates `nospy traffic worker`
 * processes committed, read through the store port (any adapter), instead of judging flow files
 * here. Which source a configuration means is decided by `trafficSource`.
 */
import { resolve } from 'node:path';
import type { NospyConfig } from '../../config/schema.js';
import { defaultTrafficStore } from '../../traffic/open-traffic-store.js';
import { TrafficError } from '../../traffic/errors.js';
import type { TrafficStorePort } from '../../traffic/traffic-store-port.js';
import type { TrafficEvidence } from '../evidence.js';

export type TrafficSource =
  { readonly kind: 'files' } | { readonly kind: 'store'; readonly url: string };

/**
 * `check.traffic` when set; otherwise the flow files when `check.flows` names any (a check given
 * files judges them), else the store when a bus is configured (`nats.url`: workers keep the
 * verdicts), else files (none: no traffic verdicts). The store is `traffic.store`, or
 * `<data>/traffic.db` (the data directory relative to `cwd`, as every command takes it).
 */
export function trafficSource(config: NospyConfig, cwd: string): TrafficSource {
  const wanted =
    config.check.traffic ??
    (config.check.flows.length > 0 ? 'files' : config.nats.url !== undefined ? 'store' : 'files');
  if (wanted === 'files') return { kind: 'files' };
  return {
    kind: 'store',
    url: config.traffic.store ?? defaultTrafficStore(resolve(cwd, config.data)),
  };
}

/** The store's findings and totals, with the stream message of every sample; closes the store. */
export async function readTrafficVerdicts(
  store: TrafficStorePort,
  name: string,
): Promise<TrafficEvidence> {
  try {
    const report = await store.report();
    if (report.messages === 0) {
      // Nothing judged is not "no undeclared traffic".
      throw new TrafficError(
        'TRAFFIC_STORE_MISSING',
        `the traffic store ${name} holds no flow batch: no traffic worker has applied one yet, so no traffic was judged`,
        { where: name },
      );
    }
    return { report, store: name };
  } finally {
    await store.close();
  }
}
