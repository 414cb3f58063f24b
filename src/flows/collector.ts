import { createSocket, type Socket } from 'node:dgram';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import {
  applySnapshot,
  type CollectorBus,
  type CollectorOutput,
  type DecodeProgress,
  type FromDecodeThread,
  type ToDecodeThread,
} from './collector-protocol.js';
import {
  collectorRegistry,
  serveMetrics,
  type CollectorCounts,
  type ListenerCount,
} from './collector-metrics.js';
import { DatagramBatchBuilder, MAX_DATAGRAM_BYTES } from './datagram-batch.js';
import { DecodeCounters } from './decode-counters.js';
import { startDecodeThread } from './decode-thread.js';
import { FlowError } from './errors.js';
import { DEFAULT_FLOW_STORE_LIMITS, type FlowStoreLimits } from './flow-store-writer.js';
import { kernelUdpStats, type KernelSocketStats } from './kernel-udp-stats.js';

export type ListenerKind = 'netflow' | 'ipfix' | 'sflow';

export interface CollectorOptions {
  /** Address the UDP listeners bind to (default 0.0.0.0: exporters are other machines). */
  readonly host: string;
  readonly listeners: readonly { readonly kind: ListenerKind; readonly port: number }[];
  /** NDJSON output file (appended to). At least one of `out` and `store`. */
  readonly out?: string | undefined;
  /** The flow store directory (`<data>/flows`), written in rotated, fsynced segments. */
  readonly store?: { readonly dir: string; readonly limits?: Partial<FlowStoreLimits> } | undefined;
  /** JetStream to publish binary batches to (docs/flows.md), beside or instead of the files. */
  readonly bus?: CollectorBus | undefined;
  /** Port of the /metrics HTTP listener, none when undefined; it binds `metricsHost`. */
  readonly metricsPort?: number | undefined;
  readonly metricsHost?: string;
  /** Receive buffer asked of the kernel per socket (default 32 MiB; Linux caps it at rmem_max). */
  readonly receiveBufferBytes?: number;
  /**
   * Bytes of received datagrams that may wait for the decode thread; beyond that, datagrams are
   * dropped and counted (`nospy_flow_datagrams_dropped_total{reason="decode-backlog"}`).
   */
  readonly maxBacklogBytes?: number;
  /** Nice value added to the decode thread so the receive thread wins a contended core (5). */
  readonly decodeNiceness?: number;
}

/** A bound listener and the receive buffer the kernel actually granted. */
export interface BoundListener {
  readonly kind: ListenerKind;
  readonly port: number;
  /** SO_RCVBUF as the kernel reports it (Linux reports twice what it grants the data). */
  readonly receiveBufferBytes: number;
}

/** One batch buffer holds many datagrams: 128 KiB is ~65 datagrams of 30 NetFlow v9 records. */
const BATCH_BYTES = 128 * 1024;
/** A partly filled batch waits at most this long for more datagrams (bounds the added latency). */
const BATCH_WAIT_MS = 5;

/**
 * The live UDP collector. The receive thread (this one) only drains the sockets into batches of
 * raw datagrams; a decode thread decodes them (one FlowDecoder: the version is sniffed, not
 * trusted from the port), formats NDJSON and writes it. Counters are exposed to Prometheus.
 * `stop()` closes the sockets, lets the decode thread finish and close the outputs; idempotent.
 */
export class FlowCollector {
  /** The decode thread's counters, as of its last finished batch. */
  readonly counters = new DecodeCounters();
  readonly counts: CollectorCounts = {
    listeners: [],
    backlogDropped: 0,
    recordsWritten: 0,
    segmentsSealed: 0,
  };
  private readonly sockets: { socket: Socket; family: 'udp4' | 'udp6' }[] = [];
  private worker: Worker | undefined;
  private metricsServer: Server | undefined;
  private readonly batch = new DatagramBatchBuilder(BATCH_BYTES);
  private readonly free: ArrayBuffer[] = [];
  private buffersAllocated = 0;
  private readonly maxBuffers: number;
  private flushTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private stopped: (() => void) | undefined;
  private failure: FlowError | undefined;
  private readonly failureWaiters: ((error: FlowError) => void)[] = [];
  /** The kernel's counters as the sockets closed (they vanish from /proc with the sockets). */
  private finalKernelStats: Map<string, KernelSocketStats> | undefined;

  constructor(private readonly options: CollectorOptions) {
    this.maxBuffers = Math.max(
      2,
      Math.ceil((options.maxBacklogBytes ?? 64 * 1024 * 1024) / BATCH_BYTES),
    );
    if (options.out === undefined && options.store === undefined && options.bus === undefined)
      throw new FlowError(
        'FLOW_COLLECTOR_OUTPUT',
        'the collector needs an output file, a store or a bus',
      );
  }

  /**
   * Opens the outputs on the decode thread, binds every listener (and /metrics). Throws
   * FLOW_COLLECTOR_OUTPUT / FLOW_STORE_LOCKED when an output cannot be opened and
   * FLOW_COLLECTOR_BIND when a port cannot be bound.
   */
  async start(): Promise<{ listeners: BoundListener[]; metricsPort: number | undefined }> {
    await this.startDecodeThread();
    const bound: BoundListener[] = [];
    try {
      for (const listener of this.options.listeners)
        bound.push(await this.bind(listener.kind, listener.port));
    } catch (error) {
      await this.stop();
      throw error;
    }
    let metricsPort: number | undefined;
    if (this.options.metricsPort !== undefined) {
      const registry = collectorRegistry(this.counters, this.counts, () => this.kernelStats());
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

  /** Resolves with the error if the decode thread fails (an output that cannot be written). */
  whenFailed(): Promise<FlowError> {
    if (this.failure !== undefined) return Promise.resolve(this.failure);
    return new Promise((resolve) => this.failureWaiters.push(resolve));
  }

  private fail(error: FlowError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const waiter of this.failureWaiters.splice(0)) waiter(error);
  }

  private async startDecodeThread(): Promise<void> {
    const outputs: CollectorOutput[] = [];
    if (this.options.out !== undefined) outputs.push({ kind: 'file', path: this.options.out });
    if (this.options.store !== undefined)
      outputs.push({
        kind: 'store',
        dir: this.options.store.dir,
        limits: { ...DEFAULT_FLOW_STORE_LIMITS, ...this.options.store.limits },
      });
    const worker = startDecodeThread({
      outputs,
      bus: this.options.bus,
      niceness: this.options.decodeNiceness ?? 5,
    });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromDecodeThread) => {
        switch (message.type) {
          case 'ready':
            resolve();
            break;
          case 'batch-done':
            this.free.push(message.buffer);
            this.progress(message);
            break;
          case 'progress':
            this.progress(message);
            break;
          case 'stopped':
            this.progress(message);
            this.stopped?.();
            break;
          case 'failed': {
            const error = new FlowError(message.code, message.message, {
              ...(message.where === undefined ? {} : { where: message.where }),
            });
            this.fail(error);
            reject(error);
            break;
          }
        }
      });
      worker.on('error', (error) => {
        const failure = new FlowError(
          'FLOW_COLLECTOR_OUTPUT',
          `the collector's decode thread failed: ${error.message}`,
          { cause: error },
        );
        this.fail(failure);
        reject(failure);
      });
      worker.on('exit', () => {
        if (this.stopping === undefined)
          this.fail(new FlowError('FLOW_COLLECTOR_OUTPUT', "the collector's decode thread exited"));
        this.stopped?.();
      });
    }).catch(async (error: unknown) => {
      await this.worker?.terminate();
      this.worker = undefined;
      throw error;
    });
  }

  private progress(progress: DecodeProgress): void {
    applySnapshot(this.counters, progress.counters);
    this.counts.recordsWritten = progress.recordsWritten;
    this.counts.segmentsSealed = progress.segmentsSealed;
    if (progress.bus !== undefined) this.counts.bus = progress.bus;
  }

  private async bind(kind: ListenerKind, port: number): Promise<BoundListener> {
    const family = this.options.host.includes(':') ? 'udp6' : 'udp4';
    const asked = this.options.receiveBufferBytes ?? 32 * 1024 * 1024;
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
    this.sockets.push({ socket, family });
    const actualPort = socket.address().port;
    try {
      socket.setRecvBufferSize(asked);
    } catch {
      // The kernel may refuse; what it granted is reported below.
    }
    const count: ListenerCount = { label: `${kind}:${actualPort}`, port: actualPort, datagrams: 0 };
    this.counts.listeners.push(count);
    const index = this.counts.listeners.length - 1;
    socket.on('message', (message, remote) => {
      count.datagrams += 1;
      this.enqueue(message, remote.address, index);
    });
    return { kind, port: actualPort, receiveBufferBytes: socket.getRecvBufferSize() };
  }

  /** The receive path: copy into the current batch, nothing else. */
  private enqueue(payload: Buffer, exporter: string, listener: number): void {
    const batch = this.batch;
    if (payload.length > MAX_DATAGRAM_BYTES) return; // cannot come from a UDP socket
    if (batch.ready && !batch.fits(payload.length)) this.flush();
    if (!batch.ready) {
      let buffer = this.free.pop();
      if (buffer === undefined && this.buffersAllocated < this.maxBuffers) {
        buffer = new ArrayBuffer(BATCH_BYTES);
        this.buffersAllocated += 1;
      }
      if (buffer === undefined) {
        // Every buffer is waiting for the decode thread: drop, and say so.
        this.counts.backlogDropped += 1;
        return;
      }
      batch.reset(buffer);
    }
    batch.add(payload, exporter, listener, Date.now());
    this.flushTimer ??= setTimeout(() => {
      this.flush();
    }, BATCH_WAIT_MS);
  }

  private flush(): void {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (!this.batch.ready) return;
    if (this.batch.datagrams === 0 || this.worker === undefined) return;
    const batch = this.batch.take();
    const message: ToDecodeThread = { type: 'batch', batch };
    this.worker.postMessage(message, [batch.buffer]);
  }

  /** Kernel drops and queued bytes per listener label (Linux /proc/net/udp; empty elsewhere). */
  kernelStats(): Map<string, KernelSocketStats> {
    if (this.finalKernelStats !== undefined) return this.finalKernelStats;
    const result = new Map<string, KernelSocketStats>();
    const byFamily = new Map<'udp4' | 'udp6', Map<number, KernelSocketStats>>();
    for (const [i, { family }] of this.sockets.entries()) {
      let table = byFamily.get(family);
      if (table === undefined) byFamily.set(family, (table = kernelUdpStats(family)));
      const listener = this.counts.listeners[i];
      const stats = listener === undefined ? undefined : table.get(listener.port);
      if (listener !== undefined && stats !== undefined) result.set(listener.label, stats);
    }
    return result;
  }

  /** Closes the sockets and /metrics, lets the decode thread write what it has, closes outputs. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.finalKernelStats = this.kernelStats();
      await Promise.all(
        this.sockets.map(
          ({ socket }) =>
            new Promise<void>((resolve) =>
              socket.close(() => {
                resolve();
              }),
            ),
        ),
      );
      this.flush();
      const worker = this.worker;
      if (worker !== undefined) {
        const done = new Promise<void>((resolve) => {
          this.stopped = resolve;
        });
        const message: ToDecodeThread = { type: 'stop' };
        worker.postMessage(message);
        await done;
        await worker.terminate();
      }
      if (this.metricsServer !== undefined) {
        const server = this.metricsServer;
        await new Promise<void>((resolve) =>
          server.close(() => {
            resolve();
          }),
        );
      }
    })();
    return this.stopping;
  }

  /** A summary for logs: decoder counters plus the collector's own and the kernel's. */
  summary(): Record<string, unknown> {
    return {
      ...this.counters.toJSON(),
      datagrams_by_listener: Object.fromEntries(
        this.counts.listeners.map((l) => [l.label, l.datagrams]),
      ),
      records_written: this.counts.recordsWritten,
      datagrams_dropped_backlog: this.counts.backlogDropped,
      segments_sealed: this.counts.segmentsSealed,
      ...(this.counts.bus === undefined ? {} : { bus: this.counts.bus }),
      kernel: Object.fromEntries(this.kernelStats()),
    };
  }
}
