/** How a Sequencer is configured, and what it reports when the store is full. */
import type { Logger } from 'pino';
import type { NoteSigner } from '../tlog/note-key.js';
import type { LogStorePort, StoredCheckpoint } from '../store/log-store-port.js';
import type { WriteGate } from './store-audit/write-gate.js';

export interface SequencerOptions {
  readonly store: LogStorePort;
  /** The log's Ed25519 note key; its name is the checkpoint origin. */
  readonly signer: NoteSigner;
  readonly logger?: Logger | undefined;
  /** Most entries in one batch (one transaction, one checkpoint). Default 16,384. */
  readonly maxBatchEntries?: number | undefined;
  /**
   * How long the first entry of a batch may wait for more before the batch is cut, in ms.
   * Default 0: group commit — a batch is cut as soon as the store can take one, taking
   * everything that queued meanwhile.
   */
  readonly maxBatchDelayMs?: number | undefined;
  /** Entries waiting to be sequenced beyond which `add` is refused (LOG_OVERLOADED). Default 65,536. */
  readonly maxQueuedEntries?: number | undefined;
  /** Called after every durable batch with the new checkpoint (e.g. to ask witnesses to cosign it). */
  readonly onCheckpoint?: ((checkpoint: StoredCheckpoint) => void) | undefined;
  /**
   * Acknowledge an entry only once `markCosigned` reports a witness quorum for a checkpoint that
   * covers it (see cosigner.ts), and publish only quorum-cosigned checkpoints. Default false.
   */
  readonly awaitCosigning?: boolean | undefined;
  /**
   * Keeps the log from signing while the server audits its store, or for good after an audit
   * failed (store-audit/). Without one, entries are taken as soon as the log opens.
   */
  readonly writeGate?: WriteGate | undefined;
  /**
   * After a batch failed with STORE_FULL, how long the log reports itself not ready (and asks
   * clients to wait, Retry-After) unless a batch succeeds first. Default 10,000 ms.
   */
  readonly storeFullRetryMs?: number | undefined;
}

/** The store could not write for want of space, as last seen by a batch. */
export interface StoreFull {
  /** When the failed batch was answered (Date.now()). */
  readonly since: number;
  /** Seconds a client should wait before it retries (HTTP Retry-After). */
  readonly retryAfterSeconds: number;
  readonly message: string;
}
