import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { DecodeCounters } from './decode-counters.js';

/** Collector-side counts that are not the decoder's: per listener, output losses. */
export interface CollectorCounts {
  readonly datagramsByListener: Map<string, number>;
  /** Records decoded but not written because the output fell too far behind. */
  outputDropped: number;
  recordsWritten: number;
}

/**
 * Prometheus metrics for a collector, read from the live counters at scrape time (no work on
 * the receive path).
 */
export function collectorRegistry(decoder: DecodeCounters, counts: CollectorCounts): Registry {
  const registry = new Registry();
  new Counter({
    name: 'nospy_flow_datagrams_total',
    help: 'Export datagrams received, by listener (netflow/ipfix/sflow:port)',
    labelNames: ['listener'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [listener, value] of counts.datagramsByListener) this.inc({ listener }, value);
    },
  });
  new Counter({
    name: 'nospy_flow_records_total',
    help: 'Flow records decoded',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(decoder.records);
    },
  });
  new Counter({
    name: 'nospy_flow_records_written_total',
    help: 'Flow records written to the output file',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counts.recordsWritten);
    },
  });
  new Counter({
    name: 'nospy_flow_malformed_total',
    help: 'Malformed datagram parts, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, value] of decoder.malformed) this.inc({ reason }, value);
    },
  });
  new Counter({
    name: 'nospy_flow_dropped_total',
    help: 'Well-formed records or data sets not delivered, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, value] of decoder.dropped) this.inc({ reason }, value);
      if (counts.outputDropped > 0) this.inc({ reason: 'output-backlog' }, counts.outputDropped);
    },
  });
  new Gauge({
    name: 'nospy_flow_templates',
    help: 'Templates defined (cumulative announcements)',
    registers: [registry],
    collect() {
      this.set(decoder.templates);
    },
  });
  return registry;
}

/** A tiny HTTP listener serving GET /metrics in the Prometheus text format. */
export async function serveMetrics(
  registry: Registry,
  host: string,
  port: number,
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      registry
        .metrics()
        .then((text) => {
          response.writeHead(200, { 'content-type': registry.contentType });
          response.end(text);
        })
        .catch(() => {
          response.writeHead(500);
          response.end();
        });
      return;
    }
    response.writeHead(request.url === '/metrics' ? 405 : 404);
    response.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
