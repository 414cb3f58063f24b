import type { BehaviourPartial, BehaviourReport } from '../mud/index.js';

/**
 * Where traffic workers keep the behaviour check's aggregates: per (device, remote endpoint,
 * service) sums and conversation port tallies, each applied once per stream message. An adapter
 * per database (SQLite here; PostgreSQL follows the same port).
 */
export interface TrafficStorePort {
  /**
   * Adds one stream message's partial sums in one transaction, with its sequence as the key that
   * makes a redelivered message count once. Returns false (and changes nothing) when that
   * message was already applied. Samples are kept with `sequence` as their evidence.
   */
  apply(stream: string, sequence: number, partial: BehaviourPartial): boolean;
  /** The findings and totals of everything applied, resolved as a batch check resolves them. */
  report(): BehaviourReport;
  close(): void;
}
