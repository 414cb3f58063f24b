import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { encodeFlowBatch } from '../flows/flow-batch.js';
import type { FlowRecord } from '../flows/flow-record.js';
import { flowSubject, type FlowBusNames } from './flow-subjects.js';

/** Why records meant for the bus were not published. */
export type BusDropReason = 'bus-buffer-full' | 'bus-shutdown';

/** The publisher's counters, as plain data (they travel from the decode thread). */
export interface BusCounts {
  publishedBatches: number;
  publishedRecords: number;
  /** Batches acknowledged as duplicates by JetStream (a retry of one already stored). */
  duplicateBatches: number;
  bufferedBatches: number;
  bufferedBytes: number;
  connected: boolean;
  /** Records dropped, by reason. */
  readonly dropped: Record<BusDropReason, number>;
}

export interface FlowPublisherOptions {
  /** `nats://host:port`, or several separated by commas. */
  readonly url: string;
  readonly names: FlowBusNames;
  /** This collector's name in message ids: unique per process, so retries de-duplicate and others do not. */
  readonly collectorId: string;
  /** Encoded bytes that may wait for the bus; beyond that, batches are dropped and counted. */
  readonly maxBufferBytes: number;
}

/** At most this many records per message: keeps a message far below NATS's 1 MiB default payload. */
export const MAX_RECORDS_PER_MESSAGE = 4096;
/** Publishes awaiting their acknowledgement at once. */
const WINDOW = 32;
/** How long a failed publish waits before the next attempt. */
const RETRY_MS = 250;
/** JetStream's de-duplication window for the stream this publisher creates (ns). */
const DUPLICATE_WINDOW_NS = 120 * 1_000_000_000;

interface Pending {
  readonly subject: string;
  readonly bytes: Uint8Array;
  readonly records: number;
  readonly id: string;
}

/**
 * Publishes decoded records to JetStream as binary flow batches, one message per batch with a
 * message id (`<collector>-<n>`) so that JetStream stores a retried batch once. The bus may be
 * down: batches wait in a bounded buffer (oldest first), are dropped and counted when it is full,
 * and drain in order when the connection comes back. Never throws into the caller.
 */
export class FlowPublisher {
  readonly counts: BusCounts = {
    publishedBatches: 0,
    publishedRecords: 0,
    duplicateBatches: 0,
    bufferedBatches: 0,
    bufferedBytes: 0,
    connected: false,
    dropped: { 'bus-buffer-full': 0, 'bus-shutdown': 0 },
  };
  private readonly queue: Pending[] = [];
  private sequence = 0;
  private connection: NatsConnection | undefined;
  private client: JetStreamClient | undefined;
  private streamReady = false;
  private pumping = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly connecting: Promise<void>;

  constructor(private readonly options: FlowPublisherOptions) {
    this.connecting = this.connect();
  }

  /** Queues the records of one exporter, split into messages; drops and counts what does not fit. */
  offer(exporter: string, records: readonly FlowRecord[], received: number): void {
    if (this.closed) {
      this.counts.dropped['bus-shutdown'] += records.length;
      return;
    }
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_MESSAGE) {
      const part = records.slice(i, i + MAX_RECORDS_PER_MESSAGE);
      const bytes = encodeFlowBatch(part, received);
      if (this.counts.bufferedBytes + bytes.length > this.options.maxBufferBytes) {
        this.counts.dropped['bus-buffer-full'] += part.length;
        continue;
      }
      this.sequence += 1;
      this.queue.push({
        subject: flowSubject(this.options.names.subjectPrefix, exporter),
        bytes,
        records: part.length,
        id: `${this.options.collectorId}-${this.sequence}`,
      });
      this.counts.bufferedBatches += 1;
      this.counts.bufferedBytes += bytes.length;
    }
    this.pump();
  }

  /**
   * Publishes what is buffered for up to `drainMs`, then closes the connection; what is still
   * buffered is counted as dropped (`bus-shutdown`). Idempotent.
   */
  async close(drainMs: number): Promise<void> {
    if (this.closed) return;
    const deadline = Date.now() + drainMs;
    while (this.queue.length > 0 && Date.now() < deadline) await sleep(20);
    this.closed = true;
    for (const p of this.queue.splice(0)) this.counts.dropped['bus-shutdown'] += p.records;
    this.counts.bufferedBatches = 0;
    this.counts.bufferedBytes = 0;
    this.wake?.();
    await this.connection?.close().catch(() => undefined);
    await this.connecting.catch(() => undefined);
  }

  private async connect(): Promise<void> {
    try {
      // The first connection is retried like a reconnection: a collector starts before its bus.
      const connection = await connect({
        servers: this.options.url.split(',').map((s) => s.trim()),
        waitOnFirstConnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        name: `nospy-collect ${this.options.collectorId}`,
      });
      if (this.closed) {
        await connection.close();
        return;
      }
      this.connection = connection;
      this.client = jetstream(connection);
      this.counts.connected = true;
      void (async () => {
        for await (const s of connection.status()) {
          if (s.type === 'disconnect') this.counts.connected = false;
          if (s.type === 'reconnect') {
            this.counts.connected = true;
            this.pump();
          }
        }
      })();
      this.pump();
    } catch {
      // Closed before it connected: nothing to publish to.
    }
  }

  private async ensureStream(): Promise<void> {
    if (this.streamReady || this.connection === undefined) return;
    const manager = await jetstreamManager(this.connection);
    const { stream, subjectPrefix } = this.options.names;
    try {
      await manager.streams.info(stream);
    } catch {
      await manager.streams.add({
        name: stream,
        subjects: [`${subjectPrefix}.>`],
        duplicate_window: DUPLICATE_WINDOW_NS,
      });
    }
    this.streamReady = true;
  }

  /** Publishes from the head of the queue in windows, in order; retries the head after a failure. */
  private pump(): void {
    if (this.pumping || this.closed || this.client === undefined) return;
    this.pumping = true;
    void (async () => {
      try {
        while (!this.closed && this.queue.length > 0) {
          const client = this.client;
          if (client === undefined) break;
          try {
            await this.ensureStream();
            const window = this.queue.slice(0, WINDOW);
            const acks = await Promise.allSettled(
              window.map((p) => client.publish(p.subject, p.bytes, { msgID: p.id, timeout: 5000 })),
            );
            // Only the acknowledged prefix leaves the queue, so order and message ids hold on retry.
            let done = 0;
            for (const ack of acks) {
              if (ack.status !== 'fulfilled') break;
              const p = this.queue[done] as Pending;
              if (ack.value.duplicate) this.counts.duplicateBatches += 1;
              this.counts.publishedBatches += 1;
              this.counts.publishedRecords += p.records;
              this.counts.bufferedBatches -= 1;
              this.counts.bufferedBytes -= p.bytes.length;
              done += 1;
            }
            this.queue.splice(0, done);
            if (done < window.length) {
              this.streamReady = false;
              await this.pause();
            }
          } catch {
            this.streamReady = false;
            await this.pause();
          }
        }
      } finally {
        this.pumping = false;
      }
    })();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, RETRY_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
