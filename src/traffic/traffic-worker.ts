import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { FlowBusNames } from '../bus/flow-subjects.js';
import { decodeFlowBatch } from '../flows/flow-batch.js';
import { BehaviourCheck, type AccessGrant, type BehaviourDevice } from '../mud/index.js';
import type { TrafficStorePort } from './traffic-store-port.js';

/** What the worker judges against; read again when it changes (`TrafficWorkerOptions.policy`). */
export interface TrafficPolicy {
  readonly devices: readonly BehaviourDevice[];
  readonly grants: readonly AccessGrant[];
}

export interface TrafficWorkerOptions {
  readonly url: string;
  readonly names: FlowBusNames;
  readonly store: TrafficStorePort;
  /** The current devices and grants; called for every message, so a reload takes effect at once. */
  readonly policy: () => TrafficPolicy;
  /** Messages fetched per pull (default 64). */
  readonly fetchMessages?: number;
  /** Seconds JetStream waits for an acknowledgement before redelivering, when this worker creates the consumer (30). */
  readonly ackWaitSeconds?: number;
}

export interface TrafficWorkerCounts {
  messages: number;
  records: number;
  /** Messages already applied (a redelivery after a crash between commit and ack). */
  duplicates: number;
  /** Messages that were not flow batches: acknowledged and skipped (they can never decode). */
  invalid: number;
}

/** Delays kept for the quantiles (the latest; older ones are overwritten). */
const DELAY_SAMPLES = 65_536;

/**
 * A traffic worker: pulls flow batches from the stream through the one durable consumer all
 * workers share, judges each batch with the behaviour check, adds its sums to the store in one
 * transaction keyed by the message's stream sequence, and acknowledges only after that commit.
 * A message redelivered after a crash is recognised by its sequence and counted once.
 */
export class TrafficWorker {
  readonly counts: TrafficWorkerCounts = { messages: 0, records: 0, duplicates: 0, invalid: 0 };
  /** Arrival at the collector → committed here, in ms, per applied message (a ring). */
  private readonly delays = new Float64Array(DELAY_SAMPLES);
  private delayCount = 0;
  private connection: NatsConnection | undefined;
  private stopping = false;

  constructor(private readonly options: TrafficWorkerOptions) {}

  /** Connects, makes sure the stream and durable consumer exist, and consumes until `stop`. */
  async run(): Promise<void> {
    const { names } = this.options;
    const nc = await connect({
      servers: this.options.url.split(',').map((s) => s.trim()),
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      name: 'nospy-traffic-worker',
    });
    this.connection = nc;
    const manager = await jetstreamManager(nc);
    try {
      await manager.streams.info(names.stream);
    } catch {
      await manager.streams.add({ name: names.stream, subjects: [`${names.subjectPrefix}.>`] });
    }
    try {
      await manager.consumers.info(names.stream, names.consumer);
    } catch {
      await manager.consumers.add(names.stream, {
        durable_name: names.consumer,
        ack_policy: AckPolicy.Explicit,
        ack_wait: (this.options.ackWaitSeconds ?? 30) * 1_000_000_000,
        filter_subject: `${names.subjectPrefix}.>`,
      });
    }
    const consumer = await jetstream(nc).consumers.get(names.stream, names.consumer);
    while (!this.isStopping()) {
      try {
        const messages = await consumer.fetch({
          max_messages: this.options.fetchMessages ?? 64,
          expires: 1000,
        });
        for await (const m of messages) {
          await this.handle(m.seq, m.data);
          // Acknowledged after the commit: a crash before this line redelivers, and the
          // sequence already in the store makes the redelivery a no-op. So the acknowledgement
          // need not be confirmed either (a lost one is a harmless redelivery): not waiting for
          // the server's reply saves a round trip per message.
          m.ack();
          if (this.isStopping()) break;
        }
      } catch {
        if (this.isStopping()) break;
        // The bus is away: the client reconnects; try again shortly.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  private async handle(sequence: number, data: Uint8Array): Promise<void> {
    this.counts.messages += 1;
    let records;
    let received;
    try {
      ({ records, received } = decodeFlowBatch(data));
    } catch {
      this.counts.invalid += 1;
      return;
    }
    const policy = this.options.policy();
    const check = new BehaviourCheck({ devices: policy.devices, grants: policy.grants });
    for (const r of records) check.add(r);
    if (await this.options.store.apply(this.options.names.stream, sequence, check.partial())) {
      this.counts.records += records.length;
      this.delays[this.delayCount % DELAY_SAMPLES] = Date.now() - received;
      this.delayCount += 1;
    } else {
      this.counts.duplicates += 1;
    }
  }

  /**
   * The delay from a batch's arrival at its collector to its commit here, in ms, at quantiles
   * `qs` of the latest applied messages (undefined before the first). Clocks of collector and
   * worker machines must agree for this to mean anything across machines.
   */
  delayQuantiles(qs: readonly number[]): number[] | undefined {
    const n = Math.min(this.delayCount, DELAY_SAMPLES);
    if (n === 0) return undefined;
    const sorted = this.delays.slice(0, n).sort();
    return qs.map((q) => sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0);
  }

  /** Read through a call: `stop` changes it while `run` awaits. */
  private isStopping(): boolean {
    return this.stopping;
  }

  /** Finishes the message in hand, then closes the connection. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.connection?.close().catch(() => undefined);
  }
}
