/**
 * What the HTTP server needs of a log: its published checkpoint, whether it takes entries, and
 * a way to add them that answers only once they are in a signed checkpoint. The Sequencer is one
 * (a log in one process); a ReplicatedLog (replica/) is another, whichever replica sequences.
 */
import type { StoredCheckpoint } from '../store/log-store-port.js';
import type { Sequenced } from './acknowledgements.js';
import type { StoreFull } from './sequencer.js';
import type { WriteGate } from './store-audit/write-gate.js';

export interface AppendableLog {
  readonly origin: string;
  /** The latest signed checkpoint this process knows (tiles are served up to its size). */
  readonly checkpoint: StoredCheckpoint;
  /** The checkpoint to publish at /checkpoint (cosigned by the quorum when one is awaited). */
  readonly published: StoredCheckpoint;
  readonly ready: boolean;
  readonly storeFull: StoreFull | undefined;
  readonly writeGate: WriteGate | undefined;
  /** Whether this process sequences; a replica that queues for another says false (default true). */
  readonly sequencing?: boolean;
  /** Resolves with the entry's index once a published checkpoint covers it. */
  add(entry: Uint8Array): Promise<Sequenced>;
  /** Entries that land in one batch, or none of them. */
  addGroup(entries: readonly Uint8Array[]): Promise<Sequenced[]>;
  close(): Promise<void>;
}
