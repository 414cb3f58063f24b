import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { BusCounts } from '../bus/flow-publisher.js';
import type { DecodeCounters } from './decode-counters.js';
import type { KernelSocketStats } from './kernel-udp-stats.js';

/** Datagrams received on one listener (`netflow:2055`). */
export interface ListenerCount {
  readonly label: string;
  readonly port: number;
  datagrams: number;
}

/** Collector-side counts that are not the decoder's: per listener, losses before decoding. */
export interface CollectorCounts {
  readonly listeners: ListenerCount[];
  /** Datagrams dropped because every batch buffer was waiting for the decode thread. */
  backlogDropped: number;
  recordsWritten: number;
  /** Flow-store segments sealed (fsynced and renamed). */
  segmentsSealed: number;
  /** The bus publisher's counters, when the collector publishes to a bus. */
  bus?: BusCounts | undefined;
}

/**
 * Prometheus metrics for a collector, read from the live counters at scrape time (no work on
 * the receive path). `kernel` reads the kernel's own per-socket drops (receive buffer full).
 */
export function collectorRegistry(
  decoder: DecodeCounters,
  counts: CollectorCounts,
  kernel: () => ReadonlyMap<string, KernelSocketStats> = () => new Map(),
): Registry {
  const registry = new Registry();
  new Counter({
    name: 'nospy_flow_datagrams_total',
    help: 'Export datagrams received, by listener (netflow/ipfix/sflow:port)',
    labelNames: ['listener'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { label, datagrams } of counts.listeners) this.inc({ listener: label }, datagrams);
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
    help: 'Flow records written to the outputs',
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
    },
  });
  new Counter({
    name: 'nospy_flow_datagrams_dropped_total',
    help: 'Datagrams received but not decoded: decode-backlog (the decode thread fell behind its bounded queue)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ reason: 'decode-backlog' }, counts.backlogDropped);
    },
  });
  new Counter({
    name: 'nospy_flow_kernel_drops_total',
    help: 'Datagrams the kernel dropped before the collector could read them (receive buffer full), by listener; Linux only',
    labelNames: ['listener'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [listener, stats] of kernel()) this.inc({ listener }, stats.drops);
    },
  });
  new Gauge({
    name: 'nospy_flow_receive_queue_bytes',
    help: 'Bytes waiting in the kernel receive buffer, by listener; Linux only',
    labelNames: ['listener'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [listener, stats] of kernel()) this.set({ listener }, stats.queuedBytes);
    },
  });
  new Counter({
    name: 'nospy_flow_segments_sealed_total',
    help: 'Flow-store segments fsynced and sealed',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counts.segmentsSealed);
    },
  });
  new Counter({
    name: 'nospy_flow_bus_published_records_total',
    help: 'Flow records acknowledged by JetStream',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counts.bus?.publishedRecords ?? 0);
    },
  });
  new Counter({
    name: 'nospy_flow_bus_published_batches_total',
    help: 'Flow batches acknowledged by JetStream (duplicates of a retried batch included)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counts.bus?.publishedBatches ?? 0);
    },
  });
  new Counter({
    name: 'nospy_flow_bus_dropped_records_total',
    help: 'Flow records not published, by reason (bus-buffer-full, bus-shutdown)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(counts.bus?.dropped ?? {})) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'nospy_flow_bus_buffered_bytes',
    help: 'Encoded batches waiting for the bus',
    registers: [registry],
    collect() {
      this.set(counts.bus?.bufferedBytes ?? 0);
    },
  });
  new Gauge({
    name: 'nospy_flow_bus_connected',
    help: '1 while the collector is connected to the bus',
    registers: [registry],
    collect() {
      this.set(counts.bus?.connected === true ? 1 : 0);
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
