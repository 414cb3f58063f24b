import type { BehaviourPartial, BehaviourReport } from '../mud/index.js';

/**
 * Where traffic workers keep the behaviour check's aggregates: per (device, remote endpoint,
 * service) sums and conversation port tallies, each applied once per stream message. An adapter
 * per database: `SqliteTrafficStore` (sqlite-traffic-store.ts) and `PostgresTrafficStore`
 * (postgres-traffic-store.ts), which any number of workers on any number of machines share.
 * Async, so that a networked database fits.
 */
export interface TrafficStorePort {
  /**
   * Adds one stream message's partial sums in one transaction, with its sequence as the key that
   * makes a redelivered message count once. Resolves false (and changes nothing) when that
   * message was already applied; durable when it resolves. Samples are kept with `sequence` as
   * their evidence.
   */
  apply(stream: string, sequence: number, partial: BehaviourPartial): Promise<boolean>;
  /** The findings and totals of everything applied, resolved as a batch check resolves them. */
  report(): Promise<BehaviourReport>;
  /** Idempotent. */
  close(): Promise<void>;
}
