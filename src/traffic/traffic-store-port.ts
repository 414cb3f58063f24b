import type { FlowRecord } from '../flows/flow-record.js';
import type { BehaviourPartial, BehaviourReport } from '../mud/index.js';

/** The stream message that carried a sample record: the evidence a stored finding points at. */
export interface StreamOrigin {
  /** The JetStream stream (`NOSPY_FLOWS`). */
  readonly stream: string;
  /** The message's stream sequence. */
  readonly sequence: number;
}

/** The stored findings and totals, and where each sample record came from. */
export interface TrafficReport extends BehaviourReport {
  /** By identity: the sample records of `findings` (every one of them has an origin). */
  readonly sampleOrigins: ReadonlyMap<FlowRecord, StreamOrigin>;
  /** Stream messages applied. */
  readonly messages: number;
}

/**
 * Where traffic workers keep the behaviour check's aggregates: per (device, remote endpoint,
 * service) sums and conversation port tallies, each applied once per stream message. An adapter
 * per database (SQLite, PostgreSQL); the methods return promises so that a networked database
 * fits the same port.
 */
export interface TrafficStorePort {
  /**
   * Adds one stream message's partial sums in one transaction, with its sequence as the key that
   * makes a redelivered message count once. Resolves false (and changes nothing) when that
   * message was already applied. Samples are kept with `stream` and `sequence` as their evidence.
   */
  apply(stream: string, sequence: number, partial: BehaviourPartial): Promise<boolean>;
  /** The findings and totals of everything applied, resolved as a batch check resolves them. */
  report(): Promise<TrafficReport>;
  /** Idempotent. */
  close(): Promise<void>;
}
