import { createSocket, type Socket } from 'node:dgram';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectorRegistry, serveMetrics, type CollectorCounts } from './collector-metrics.js';
import { FlowError } from './errors.js';
import { FlowDecoder } from './flow-decoder.js';
import { formatFlowNdjson } from './flow-file-format.js';
import type { FlowRecord } from './flow-record.js';

export type ListenerKind = 'netflow' | 'ipfix' | 'sflow';

export interface CollectorOptions {
  /** Address the UDP listeners bind to (default 0.0.0.0: exporters are other machines). */
  readonly host: string;
  readonly listeners: readonly { readonly kind: ListenerKind; readonly port: number }[];
  /** NDJSON output file (appended to). */
  readonly out: string;
  /** Port of the /metrics HTTP listener, none when undefined; it binds `metricsHost`. */
  readonly metricsPort?: number | undefined;
  readonly metricsHost?: string;
  /** Receive buffer asked of the kernel per socket (default 32 MiB). */
  readonly receiveBufferBytes?: number;
  /** Output bytes queued before records are dropped (counted as output-backlog). */
  readonly maxOutputBacklogBytes?: number;
}

/** A bound listener and the receive buffer the kernel actually granted. */
export interface BoundListener {
  readonly kind: ListenerKind;
  readonly port: number;
  readonly receiveBufferBytes: number;
}

/**
 * The live UDP collector: sockets in, one FlowDecoder (version sniffed, not trusted from the
 * port), NDJSON out, counters exposed to Prometheus. `stop()` closes the sockets, flushes and
 * closes the output; it is idempotent.
 */
export class FlowCollector {
  readonly decoder = new FlowDecoder();
  readonly counts: CollectorCounts = {
    datagramsByListener: new Map(),
    outputDropped: 0,
    recordsWritten: 0,
  };
  private readonly sockets: Socket[] = [];
  private output: WriteStream | undefined;
  private metricsServer: Server | undefined;
  private batch: string[] = [];
  private flushScheduled = false;
  private expiryTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private readonly scratch: FlowRecord[] = [];

  constructor(private readonly options: CollectorOptions) {}

  /** Binds every listener (and /metrics); throws FLOW_COLLECTOR_BIND when one cannot be bound. */
  async start(): Promise<{ listeners: BoundListener[]; metricsPort: number | undefined }> {
    this.output = createWriteStream(this.options.out, { flags: 'a' });
    await new Promise<void>((resolve, reject) => {
      this.output?.once('open', () => {
        resolve();
      });
      this.output?.once('error', (error) => {
        reject(
          new FlowError(
            'FLOW_FILE_UNREADABLE',
            `cannot write ${this.options.out}: ${error.message}`,
            { where: this.options.out },
          ),
        );
      });
    });
    const bound: BoundListener[] = [];
    try {
      for (const listener of this.options.listeners)
        bound.push(await this.bind(listener.kind, listener.port));
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.expiryTimer = setInterval(() => {
      this.decoder.expire(Date.now());
    }, 1000);
    this.expiryTimer.unref();
    let metricsPort: number | undefined;
    if (this.options.metricsPort !== undefined) {
      const registry = collectorRegistry(this.decoder.counters, this.counts);
      try {
        this.metricsServer = await serveMetrics(
          registry,
          this.options.metricsHost ?? '127.0.0.1',
          this.options.metricsPort,
        );
      } catch (error) {
        await this.stop();
        throw new FlowError(
          'FLOW_COLLECTOR_BIND',
          `cannot serve /metrics on port ${this.options.metricsPort}: ${String(error)}`,
          { where: `metrics:${this.options.metricsPort}` },
        );
      }
      metricsPort = (this.metricsServer.address() as AddressInfo).port;
    }
    return { listeners: bound, metricsPort };
  }

  private async bind(kind: ListenerKind, port: number): Promise<BoundListener> {
    const family = this.options.host.includes(':') ? 'udp6' : 'udp4';
    const socket = createSocket({ type: family, reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) => {
        reject(
          new FlowError(
            'FLOW_COLLECTOR_BIND',
            `cannot listen for ${kind} on ${this.options.host}:${port}: ${error.message}`,
            { where: `${this.options.host}:${port}` },
          ),
        );
      });
      socket.bind(port, this.options.host, () => {
        resolve();
      });
    });
    socket.removeAllListeners('error');
    // A receive error (e.g. ICMP feedback) must not stop the collector.
    socket.on('error', () => undefined);
    const actualPort = socket.address().port;
    const label = `${kind}:${actualPort}`;
    this.counts.datagramsByListener.set(label, 0);
    try {
      socket.setRecvBufferSize(this.options.receiveBufferBytes ?? 32 * 1024 * 1024);
    } catch {
      // The kernel may refuse; what it granted is reported below.
    }
    socket.on('message', (message, remote) => {
      this.counts.datagramsByListener.set(
        label,
        (this.counts.datagramsByListener.get(label) ?? 0) + 1,
      );
      this.receive(message, remote.address);
    });
    this.sockets.push(socket);
    return { kind, port: actualPort, receiveBufferBytes: socket.getRecvBufferSize() };
  }

  private receive(message: Buffer, exporter: string): void {
    const out = this.scratch;
    out.length = 0;
    this.decoder.decode(
      message,
      exporter.startsWith('::ffff:') ? exporter.slice(7) : exporter,
      Date.now(),
      out,
    );
    if (out.length === 0) return;
    const output = this.output;
    if (
      output === undefined ||
      output.writableLength > (this.options.maxOutputBacklogBytes ?? 256 * 1024 * 1024)
    ) {
      this.counts.outputDropped += out.length;
      return;
    }
    for (const record of out) this.batch.push(formatFlowNdjson(record));
    // Few large writes: every write call costs far more than the bytes it carries.
    if (this.batch.length >= 8192) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setTimeout(() => {
        this.flush();
      }, 20);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.batch.length === 0 || this.output === undefined) return;
    this.counts.recordsWritten += this.batch.length;
    this.output.write(`${this.batch.join('\n')}\n`);
    this.batch = [];
  }

  /** Closes the sockets and /metrics, writes what was decoded, closes the file. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.expiryTimer !== undefined) clearInterval(this.expiryTimer);
      await Promise.all(
        this.sockets.map(
          (socket) =>
            new Promise<void>((resolve) =>
              socket.close(() => {
                resolve();
              }),
            ),
        ),
      );
      this.flush();
      if (this.metricsServer !== undefined) {
        const server = this.metricsServer;
        await new Promise<void>((resolve) =>
          server.close(() => {
            resolve();
          }),
        );
      }
      const output = this.output;
      if (output !== undefined)
        await new Promise<void>((resolve) =>
          output.end(() => {
            resolve();
          }),
        );
    })();
    return this.stopping;
  }

  /** A summary for logs: decoder counters plus the collector's own. */
  summary(): Record<string, unknown> {
    return {
      ...this.decoder.counters.toJSON(),
      datagrams_by_listener: Object.fromEntries(this.counts.datagramsByListener),
      records_written: this.counts.recordsWritten,
      output_dropped: this.counts.outputDropped,
    };
  }
}
