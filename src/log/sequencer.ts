import type { Logger } from 'pino';
import { leafHash as computeLeafHash } from '../tlog/hash.js';
import type { NoteSigner } from '../tlog/note-key.js';
import type { LogStorePort, StoredCheckpoint } from '../store/log-store-port.js';
import { assignIndexes, type NewLeaves } from './batch-indexes.js';
import { Acknowledgements, type Sequenced } from './acknowledgements.js';
import { LogError } from './errors.js';
import { StoreError } from '../store/errors.js';
import { loadLogState, type LogState } from './log-state.js';
import { SigningEdge, type SignedAppend } from './signing-edge.js';
import type { WriteGate } from './store-audit/write-gate.js';
import type { SequencerOptions, StoreFull } from './sequencer-options.js';
import { groupBoundary, type Pending } from './pending-entries.js';

import { MAX_ENTRY_BYTES } from '../tlog/tiles.js';

export type { Sequenced, SequencerOptions, StoreFull };

/** A batch handed to the store and not yet durable. */
interface InFlight extends NewLeaves {
  /** Its new leaves are at indexes fromSize, fromSize + 1, … (later batches de-duplicate against them). */
  readonly fromSize: number;
  /** Settles (never rejects) once the writers of the batch were answered. */
  settled: Promise<void>;
}

/**
 * Batches handed to the store at once: one committing (fsync) while the next is de-duplicated,
 * hashed and signed on this thread. More would only make batches smaller.
 */
const MAX_IN_FLIGHT = 2;

/**
 * When nothing is being written, a queue of at least twice this many entries is cut in two
 * halves, so that the second half is prepared while the first commits. Writers that wait for
 * each acknowledgement before adding again (HTTP clients) then arrive in two alternating groups
 * and keep both the event loop and the store busy, rather than each waiting on the other.
 */
const MIN_HALF_BATCH = 512;

/**
 * The one writer of a log. Entries from many concurrent writers queue here; each batch is
 * de-duplicated by leaf hash, appended to the tree, written with its tiles and a newly signed
 * checkpoint in ONE store transaction, and only then are the writers' promises resolved. A
 * crash before the commit loses nothing acknowledged (nothing of the batch was acknowledged
 * and its checkpoint was never published); after the commit everything is on disk.
 *
 * Batches are pipelined: batch N+1 is prepared on top of batch N's tree while N commits, and
 * handed to the store, which applies them in order. N+1 is built on N, so if N fails, N+1 fails
 * the store's size check too; both are rejected, nothing of either is acknowledged, and the
 * right edge is reloaded from the store before anything else is sequenced.
 */
export class Sequencer {
  readonly origin: string;
  readonly #store: LogStorePort;
  readonly #signer: NoteSigner;
  readonly #logger: Logger | undefined;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  readonly #maxQueued: number;
  readonly #onCheckpoint: ((checkpoint: StoredCheckpoint) => void) | undefined;
  readonly #awaitCosigning: boolean;
  readonly #gate: WriteGate | undefined;

  #queue: Pending[] = [];
  /** When the oldest queued entry was queued (performance.now()), for `maxBatchDelayMs`. */
  #queuedSince = 0;
  #acknowledgements = new Acknowledgements(0);
  readonly #edge: SigningEdge;
  #inFlight: InFlight[] = [];
  /** The latest durable checkpoint. */
  #checkpoint: StoredCheckpoint;
  #published: StoredCheckpoint;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #pumping: Promise<void> | undefined;
  #closing = false;
  /** Set by a failed batch: the right edge is reloaded before the next batch is prepared. */
  #batchFailure: { readonly error: unknown } | undefined;
  #failed: unknown;
  readonly #storeFullRetryMs: number;
  /**
   * Set when a batch failed with STORE_FULL, cleared by the next durable batch. Writes are still
   * taken meanwhile (each is a probe of the disk): the log recovers by itself once space is freed.
   */
  #storeFull: StoreFull | undefined;

  private constructor(options: SequencerOptions, state: LogState) {
    const checkpoint = state.checkpoint;
    this.#edge = new SigningEdge(options.signer, state);
    this.#store = options.store;
    this.#signer = options.signer;
    this.origin = options.signer.name;
    this.#logger = options.logger;
    this.#maxBatch = options.maxBatchEntries ?? 16_384;
    this.#delayMs = options.maxBatchDelayMs ?? 0;
    this.#maxQueued = options.maxQueuedEntries ?? 65_536;
    this.#onCheckpoint = options.onCheckpoint;
    this.#awaitCosigning = options.awaitCosigning ?? false;
    this.#gate = options.writeGate;
    this.#storeFullRetryMs = options.storeFullRetryMs ?? 10_000;
    this.#checkpoint = checkpoint;
    this.#published = checkpoint;
  }

  /**
   * Opens the log in `store`: checks that the stored tree reproduces the stored checkpoint's
   * root and that the checkpoint was signed by this key, and refuses to start otherwise.
   */
  static async open(options: SequencerOptions): Promise<Sequencer> {
    const state = await loadLogState(options.store, options.signer);
    const sequencer = new Sequencer(options, state);
    sequencer.#acknowledgements = new Acknowledgements(
      options.awaitCosigning !== true || state.checkpoint.cosignedNote !== undefined
        ? state.checkpoint.size
        : 0,
    );
    if (state.checkpoint.size === 0 && state.fresh) {
      // An empty log still publishes a signed checkpoint of size 0.
      await sequencer.#sequence([]);
      await sequencer.#inFlight[0]?.settled;
      if (sequencer.#batchFailure !== undefined) throw sequencer.#batchFailure.error;
    }
    return sequencer;
  }

  /** The latest durable signed checkpoint (with cosignatures when gathered). */
  get checkpoint(): StoredCheckpoint {
    return this.#checkpoint;
  }

  /**
   * True while the log takes entries: not closing, no storage failure stopped it, and its write
   * gate (if any) is open.
   */
  get ready(): boolean {
    return (
      !this.#closing &&
      this.#failed === undefined &&
      this.#gate?.refusal === undefined &&
      this.storeFull === undefined
    );
  }

  /**
   * Whether the last batch found the store full, within `storeFullRetryMs` of it: a load balancer
   * reading /readyz then sends writes elsewhere. The state lapses by itself after that time (so
   * a balancer tries again, and the next write finds out) or at the next durable batch.
   */
  get storeFull(): StoreFull | undefined {
    const full = this.#storeFull;
    if (full === undefined) return undefined;
    if (Date.now() - full.since >= this.#storeFullRetryMs) return undefined;
    return full;
  }

  /** The gate this log's writes pass through, when it has one. */
  get writeGate(): WriteGate | undefined {
    return this.#gate;
  }

  /** Entries queued and not yet sequenced. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Adds one entry; resolves with its index once it is durable and covered by a signed
   * checkpoint (and by the witness quorum, when one is configured). A duplicate gets the index
   * of its first copy.
   */
  add(entry: Uint8Array): Promise<Sequenced> {
    return this.#enqueue([entry]).then(([sequenced]) => sequenced as Sequenced);
  }

  /**
   * Adds entries that must land together: one batch, so one transaction and one checkpoint
   * hold all of them or none (a signed statement and its Sigstore entries, docs/statements.md).
   * Resolves with their indexes in order once all are durable and covered; a duplicate gets the
   * index of its first copy. A group larger than `maxBatchEntries` is still one batch.
   */
  addGroup(entries: readonly Uint8Array[]): Promise<Sequenced[]> {
    return entries.length === 0 ? Promise.resolve([]) : this.#enqueue(entries);
  }

  #enqueue(entries: readonly Uint8Array[]): Promise<Sequenced[]> {
    const tooLarge = entries.find((entry) => entry.length > MAX_ENTRY_BYTES);
    if (tooLarge !== undefined) {
      return Promise.reject(
        new LogError(
          'LOG_ENTRY_TOO_LARGE',
          `an entry is at most ${MAX_ENTRY_BYTES} bytes (c2sp.org/tlog-tiles); this one is ${tooLarge.length}`,
        ),
      );
    }
    if (this.#closing || this.#failed !== undefined) {
      return Promise.reject(
        new LogError('LOG_CLOSED', 'the log is shutting down or stopped after a storage failure'),
      );
    }
    const refusal = this.#gate?.refusal;
    if (refusal !== undefined) return Promise.reject(refusal);
    if (this.#queue.length + entries.length > this.#maxQueued) {
      return Promise.reject(
        new LogError(
          'LOG_OVERLOADED',
          `the log has ${this.#queue.length} entries waiting to be sequenced; retry shortly`,
        ),
      );
    }
    if (this.#queue.length === 0) this.#queuedSince = performance.now();
    // Queued in one synchronous step, so no other writer's entry falls between them.
    const answers = entries.map(
      (entry, i) =>
        new Promise<Sequenced>((resolve, reject) => {
          this.#queue.push({
            entry,
            leafHash: computeLeafHash(entry),
            following: entries.length - 1 - i,
            resolve,
            reject,
          });
        }),
    );
    this.#schedule();
    return Promise.all(answers);
  }

  /**
   * The checkpoint to publish: the latest one, or with a witness quorum configured the latest
   * one the quorum has cosigned (so clients that check the quorum can use what they fetch).
   */
  get published(): StoredCheckpoint {
    return this.#published;
  }

  /**
   * Records that the witness quorum cosigned `checkpoint` (which carries the cosigned note) and
   * acknowledges every entry below its size.
   */
  markCosigned(checkpoint: StoredCheckpoint): void {
    if (checkpoint.size < this.#published.size) return;
    if (this.#awaitCosigning || checkpoint.size === this.#checkpoint.size) {
      this.#published = checkpoint;
    }
    if (checkpoint.size === this.#checkpoint.size) this.#checkpoint = checkpoint;
    this.#acknowledgements.advance(checkpoint.size);
  }

  /** Stops taking entries, sequences everything already queued, and signs the final checkpoint. */
  async close(): Promise<void> {
    this.#closing = true;
    for (;;) {
      if (this.#pumping === undefined && this.#queue.length > 0 && this.#failed === undefined) {
        this.#startPump();
      }
      const busy = this.#pumping ?? this.#inFlight[0]?.settled;
      if (busy === undefined) break;
      await busy;
    }
    this.#clearTimer();
  }

  /** Rejects the entries still waiting for a witness quorum (on shutdown). */
  abandonAwaiting(reason: LogError): void {
    this.#acknowledgements.abandon(reason);
  }

  #schedule(): void {
    if (this.#pumping !== undefined || this.#timer !== undefined) return;
    if (this.#queue.length >= this.#maxBatch || this.#delayMs === 0) {
      this.#timer = setImmediate(() => {
        this.#timer = undefined;
        this.#startPump();
      });
    } else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startPump();
      }, this.#delayMs);
    }
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }

  #startPump(): void {
    this.#clearTimer();
    if (this.#pumping !== undefined) return;
    this.#pumping = this.#pump()
      .catch((error: unknown) => {
        // #sequence and #recover handle their failures; this is a bug, so stop taking entries.
        this.#stop(error);
      })
      .finally(() => {
        this.#pumping = undefined;
        if (this.#queue.length > 0 && this.#failed === undefined) this.#schedule();
      });
  }

  /**
   * Cuts and prepares batches while entries are queued, keeping at most MAX_IN_FLIGHT in the
   * store; the only code that moves the tree's right edge.
   */
  async #pump(): Promise<void> {
    for (;;) {
      if (this.#batchFailure !== undefined) {
        const oldest = this.#inFlight[0];
        if (oldest !== undefined) await oldest.settled;
        else await this.#recover();
        continue;
      }
      if (this.#inFlight.length >= MAX_IN_FLIGHT) {
        await this.#inFlight[0]?.settled;
        continue;
      }
      if (this.#failed !== undefined || this.#queue.length === 0) return;
      if (!this.#closing && this.#delayMs > 0 && this.#queue.length < this.#maxBatch) {
        const waited = performance.now() - this.#queuedSince;
        if (waited < this.#delayMs) {
          this.#timer = setTimeout(() => {
            this.#timer = undefined;
            this.#startPump();
          }, this.#delayMs - waited);
          return;
        }
      }
      await this.#sequence(this.#cut());
    }
  }

  #cut(): Pending[] {
    let count = Math.min(this.#queue.length, this.#maxBatch);
    if (this.#inFlight.length === 0 && count >= 2 * MIN_HALF_BATCH) count = Math.ceil(count / 2);
    count = groupBoundary(this.#queue, count);
    const batch = this.#queue.length === count ? this.#queue : this.#queue.slice(0, count);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(count);
    if (this.#queue.length > 0) this.#queuedSince = performance.now();
    return batch;
  }

  /**
   * De-duplicates `batch` (against the store, the batches in flight, and itself), appends its
   * new leaves to the tree, signs the checkpoint, and hands it all to the store. Returns once
   * the batch is in flight; its writers are answered when the store has made it durable.
   */
  async #sequence(batch: Pending[]): Promise<void> {
    // Taken before the lookup: a batch in flight may become durable during it, and then the
    // store may or may not have answered for its leaves.
    const inFlight = [...this.#inFlight];
    let known: Map<string, number>;
    try {
      known = await this.#store.findLeaves(batch.map((p) => p.leafHash));
    } catch (error) {
      this.#fail(batch, error);
      return;
    }
    if (this.#batchFailure !== undefined) {
      // A batch this one would build on failed meanwhile: sequence it after the reload.
      this.#queue = batch.concat(this.#queue);
      return;
    }
    const fromSize = this.#edge.size;
    let assigned: ReturnType<typeof assignIndexes>;
    let prepared: SignedAppend;
    try {
      assigned = assignIndexes(batch, known, inFlight, fromSize);
      prepared = this.#edge.append(assigned.fresh, fromSize);
    } catch (error) {
      this.#fail(batch, error);
      return;
    }
    const { fresh, leaves, indexes } = assigned;
    const record: InFlight = { fromSize, fresh, leaves, settled: Promise.resolve() };
    const { checkpoint } = prepared;
    let written: Promise<void>;
    try {
      written = this.#store.integrate({ fromSize, leaves: fresh, ...prepared });
    } catch (error) {
      written = Promise.reject(toError(error));
    }
    record.settled = written.then(
      () => {
        this.#durable(record, checkpoint);
        batch.forEach((pending, i) => {
          this.#acknowledgements.answer(indexes[i] as number, pending);
        });
      },
      (error: unknown) => {
        this.#inFlight = this.#inFlight.filter((other) => other !== record);
        if (isStoreFull(error)) {
          this.#storeFull = {
            since: Date.now(),
            retryAfterSeconds: Math.max(1, Math.ceil(this.#storeFullRetryMs / 1000)),
            message: error.message,
          };
        }
        this.#fail(batch, error);
      },
    );
    this.#inFlight.push(record);
  }

  /** The batch `record` is durable with `checkpoint`, which now covers it. */
  #durable(record: InFlight, checkpoint: Omit<StoredCheckpoint, 'cosignedNote'>): void {
    // The store applies batches in order, so the durable one is the oldest in flight.
    this.#inFlight = this.#inFlight.filter((other) => other !== record);
    this.#storeFull = undefined;
    this.#checkpoint = { ...checkpoint, cosignedNote: undefined };
    if (!this.#awaitCosigning) {
      this.#acknowledgements.advance(checkpoint.size);
      this.#published = this.#checkpoint;
    } else if (this.#published.note === '') {
      this.#published = this.#checkpoint;
    }
    this.#onCheckpoint?.(this.#checkpoint);
  }

  /**
   * Rejects a batch's writers. Batches in flight behind a failed one were built on it and fail
   * too; they are rejected with the first failure, the cause.
   */
  #fail(batch: readonly Pending[], error: unknown): void {
    this.#batchFailure ??= { error };
    const cause = this.#batchFailure.error;
    for (const pending of batch) pending.reject(cause);
    if (this.#pumping === undefined && this.#queue.length > 0) this.#schedule();
  }

  /**
   * After a failed batch the in-memory right edge is ahead of the store; reload it from the
   * store (with nothing in flight) so that the next batch builds on what is durable. If even
   * that fails, stop.
   */
  async #recover(): Promise<void> {
    this.#logger?.error(
      { err: this.#batchFailure?.error },
      'a batch failed; reloading the log state from the store',
    );
    this.#batchFailure = undefined;
    try {
      const state = await loadLogState(this.#store, this.#signer);
      this.#edge.reload(state);
      this.#checkpoint = state.checkpoint;
    } catch (reloadError) {
      this.#stop(reloadError);
    }
  }

  #stop(error: unknown): void {
    this.#failed = error;
    this.#logger?.fatal({ err: error }, 'the log state cannot be reloaded; refusing entries');
    for (const pending of this.#queue) pending.reject(error);
    this.#queue = [];
  }
}

function isStoreFull(error: unknown): error is StoreError {
  return error instanceof StoreError && error.code === 'STORE_FULL';
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
