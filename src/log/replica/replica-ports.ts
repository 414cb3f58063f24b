/**
 * What several replicas of one log share besides the log store, as ports: the lock that elects
 * the one sequencer, the queue through which the other replicas hand it entries, and the
 * notifications that wake them. The PostgreSQL adapters are in src/store/postgres.
 */
import type { StoredCheckpoint } from '../../store/log-store-port.js';

/** The election: at most one replica holds the lock at a time. */
export interface SequencerLockPort {
  /** Whether this replica holds the lock, as last known. */
  readonly held: boolean;
  /**
   * Takes the lock if it is free; `onLost` runs once if the lock's session is later found gone
   * (the replica must stop sequencing at once).
   */
  tryAcquire(onLost: () => void): Promise<boolean>;
  /** Confirms the lock is still held; false (and `onLost`) when it is not. */
  check(): Promise<boolean>;
  release(): Promise<void>;
}

/** Entries submitted to a replica that does not sequence: one group is one submission. */
export interface Submission {
  readonly id: number;
  readonly entries: readonly Buffer[];
}

/** The queue of submissions waiting for the sequencer. */
export interface SubmissionQueuePort {
  /** Queues groups of entries (each group lands in one batch), durable when it resolves. */
  submit(groups: readonly (readonly Uint8Array[])[]): Promise<void>;
  /**
   * Claims up to `limit` submissions for the sequencing term `term`, oldest first: those not
   * claimed yet, released, or claimed by an earlier term (a sequencer that died).
   */
  claim(term: string, limit: number): Promise<Submission[]>;
  /** Gives submissions back to be claimed again (their batch failed). */
  release(ids: readonly number[]): Promise<void>;
  /** Removes submissions whose entries are in a signed checkpoint. */
  remove(ids: readonly number[]): Promise<void>;
}

/** What wakes a replica: a new checkpoint, or new submissions for the sequencer. */
export type ReplicaEvent = 'checkpoint' | 'submissions';

/** Notifications between replicas; best effort (replicas poll as well). */
export interface ReplicaSignalsPort {
  /** Calls `listener` on each event; returns how to stop. */
  on(listener: (event: ReplicaEvent) => void): void;
  close(): Promise<void>;
}

/** The latest signed checkpoint in the shared store, as a replica reads it. */
export type CheckpointSource = () => Promise<StoredCheckpoint | undefined>;
