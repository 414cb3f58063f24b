/**
 * Replays flow records through the real UDP collector: each exporter's records are encoded as
 * NetFlow v9 or IPFIX datagrams (src/flows/export-encoder.ts), sent over loopback UDP to a
 * FlowCollector listening on a free port, and the collector's NDJSON output is the flow file.
 */
import { createSocket } from 'node:dgram';
import { FlowCollector, type ListenerKind } from '../flows/collector.js';
import { encodeIpfix, encodeNetflowV9 } from '../flows/export-encoder.js';
import type { FlowRecord } from '../flows/flow-record.js';

/** How long to wait for loopback datagrams to be received before giving up. */
const RECEIVE_TIMEOUT_MS = 10_000;

export interface ExporterReplay {
  readonly kind: Extract<ListenerKind, 'netflow' | 'ipfix'>;
  /** NetFlow v9 source ID / IPFIX observation domain. */
  readonly domain: number;
  readonly records: readonly FlowRecord[];
}

function received(collector: FlowCollector): number {
  let sum = 0;
  for (const listener of collector.counts.listeners) sum += listener.datagrams;
  return sum;
}

/** Sends every exporter's datagrams to a collector writing `out`; resolves once all are written. */
export async function replayFlows(
  out: string,
  exporters: readonly ExporterReplay[],
): Promise<void> {
  const kinds = [...new Set(exporters.map((e) => e.kind))];
  const collector = new FlowCollector({
    host: '127.0.0.1',
    listeners: kinds.map((kind) => ({ kind, port: 0 })),
    out,
  });
  const sender = createSocket('udp4');
  try {
    const { listeners } = await collector.start();
    let sent = 0;
    let records = 0;
    for (const exporter of exporters) {
      const port = listeners.find((l) => l.kind === exporter.kind)?.port;
      if (port === undefined) throw new Error(`no ${exporter.kind} listener was bound`);
      const encode = exporter.kind === 'ipfix' ? encodeIpfix : encodeNetflowV9;
      for (const datagram of encode(exporter.records, { domain: exporter.domain })) {
        await new Promise<void>((resolve, reject) => {
          sender.send(datagram, port, '127.0.0.1', (error) => {
            if (error === null) resolve();
            else reject(error);
          });
        });
        sent += 1;
      }
      records += exporter.records.length;
    }
    const deadline = Date.now() + RECEIVE_TIMEOUT_MS;
    while (received(collector) < sent && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await collector.stop();
    if (collector.counts.recordsWritten !== records) {
      throw new Error(
        `the collector wrote ${collector.counts.recordsWritten} of the ${records} flow records replayed (${received(collector)} of ${sent} datagrams received)`,
      );
    }
  } finally {
    sender.close();
    await collector.stop();
  }
}
