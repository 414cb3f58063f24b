import type { Logger } from 'pino';
import { leafHash as computeLeafHash } from '../tlog/hash.js';
import { appendLeaf, treeRoot, type HashReader } from '../tlog/tree.js';
import { signCheckpoint } from '../tlog/checkpoint.js';
import type { NoteSigner } from '../tlog/note-key.js';
import type { IndexedLeaf, LogStore, StoredCheckpoint } from '../store/log-store.js';
import { LogError } from './errors.js';
import { TileBuilder } from './tile-builder.js';
import { loadLogState } from './log-state.js';

import { MAX_ENTRY_BYTES } from '../tlog/tiles.js';

export interface SequencerOptions {
  readonly store: LogStore;
  /** The log's Ed25519 note key; its name is the checkpoint origin. */
  readonly signer: NoteSigner;
  readonly logger?: Logger | undefined;
  /** Most entries in one batch (one transaction, one checkpoint). Default 4096. */
  readonly maxBatchEntries?: number | undefined;
  /**
   * How long the first entry of a batch may wait for more before the batch is cut, in ms.
   * Default 0: group commit — a batch starts as soon as the previous one is durable, taking
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
}

export interface Sequenced {
  readonly index: number;
  readonly leafHash: Buffer;
}

interface Pending {
  readonly entry: Uint8Array;
  readonly leafHash: Buffer;
  readonly resolve: (value: Sequenced) => void;
  readonly reject: (error: unknown) => void;
}

interface AwaitingAck {
  readonly index: number;
  readonly pending: Pending;
}

/**
 * The one writer of a log. Entries from many concurrent writers queue here; each batch is
 * de-duplicated by leaf hash, appended to the tree, written with its tiles and a newly signed
 * checkpoint in ONE store transaction, and only then are the writers' promises resolved. A
 * crash before the commit loses nothing acknowledged (nothing of the batch was acknowledged
 * and its checkpoint was never published); after the commit everything is on disk.
 */
export class Sequencer {
  readonly origin: string;
  readonly #store: LogStore;
  readonly #signer: NoteSigner;
  readonly #logger: Logger | undefined;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  readonly #maxQueued: number;
  readonly #onCheckpoint: ((checkpoint: StoredCheckpoint) => void) | undefined;
  readonly #awaitCosigning: boolean;

  #queue: Pending[] = [];
  #awaiting: AwaitingAck[] = [];
  #acknowledgedSize = 0;
  #size = 0;
  #frontier: Buffer[] = [];
  #tiles = new TileBuilder();
  #checkpoint: StoredCheckpoint;
  #published: StoredCheckpoint;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #running: Promise<void> | undefined;
  #closing = false;
  #failed: unknown;

  private constructor(options: SequencerOptions, checkpoint: StoredCheckpoint) {
    this.#store = options.store;
    this.#signer = options.signer;
    this.origin = options.signer.name;
    this.#logger = options.logger;
    this.#maxBatch = options.maxBatchEntries ?? 4096;
    this.#delayMs = options.maxBatchDelayMs ?? 0;
    this.#maxQueued = options.maxQueuedEntries ?? 65_536;
    this.#onCheckpoint = options.onCheckpoint;
    this.#awaitCosigning = options.awaitCosigning ?? false;
    this.#checkpoint = checkpoint;
    this.#published = checkpoint;
  }

  /**
   * Opens the log in `store`: checks that the stored tree reproduces the stored checkpoint's
   * root and that the checkpoint was signed by this key, and refuses to start otherwise.
   */
  static async open(options: SequencerOptions): Promise<Sequencer> {
    const state = await loadLogState(options.store, options.signer);
    const sequencer = new Sequencer(options, state.checkpoint);
    sequencer.#size = state.checkpoint.size;
    sequencer.#acknowledgedSize =
      options.awaitCosigning !== true || state.checkpoint.cosignedNote !== undefined
        ? state.checkpoint.size
        : 0;
    sequencer.#frontier = state.frontier;
    sequencer.#tiles = state.tiles;
    if (state.checkpoint.size === 0 && state.fresh) {
      // An empty log still publishes a signed checkpoint of size 0.
      await sequencer.#commit([], state.checkpoint.size);
    }
    return sequencer;
  }

  /** The latest durable signed checkpoint (with cosignatures when gathered). */
  get checkpoint(): StoredCheckpoint {
    return this.#checkpoint;
  }

  /** True while the log takes entries: not closing, and no storage failure stopped it. */
  get ready(): boolean {
    return !this.#closing && this.#failed === undefined;
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
    if (entry.length > MAX_ENTRY_BYTES) {
      return Promise.reject(
        new LogError(
          'LOG_ENTRY_TOO_LARGE',
          `an entry is at most ${MAX_ENTRY_BYTES} bytes (c2sp.org/tlog-tiles); this one is ${entry.length}`,
        ),
      );
    }
    if (this.#closing || this.#failed !== undefined) {
      return Promise.reject(
        new LogError('LOG_CLOSED', 'the log is shutting down or stopped after a storage failure'),
      );
    }
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(
        new LogError(
          'LOG_OVERLOADED',
          `the log has ${this.#queue.length} entries waiting to be sequenced; retry shortly`,
        ),
      );
    }
    return new Promise<Sequenced>((resolve, reject) => {
      this.#queue.push({ entry, leafHash: computeLeafHash(entry), resolve, reject });
      this.#schedule();
    });
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
    const size = checkpoint.size;
    if (size <= this.#acknowledgedSize) return;
    this.#acknowledgedSize = size;
    // A duplicate may wait on an older index than entries queued before it: scan them all.
    const still: AwaitingAck[] = [];
    for (const awaiting of this.#awaiting) {
      if (awaiting.index < size) {
        awaiting.pending.resolve({ index: awaiting.index, leafHash: awaiting.pending.leafHash });
      } else {
        still.push(awaiting);
      }
    }
    this.#awaiting = still;
  }

  /** Stops taking entries, sequences everything already queued, and signs the final checkpoint. */
  async close(): Promise<void> {
    this.#closing = true;
    while (this.#running !== undefined || (this.#queue.length > 0 && this.#failed === undefined)) {
      if (this.#running === undefined) this.#startNow();
      await this.#running;
    }
    this.#clearTimer();
  }

  /** Rejects the entries still waiting for a witness quorum (on shutdown). */
  abandonAwaiting(reason: LogError): void {
    for (const { pending } of this.#awaiting) pending.reject(reason);
    this.#awaiting = [];
  }

  #schedule(): void {
    if (this.#running !== undefined || this.#timer !== undefined) return;
    if (this.#queue.length >= this.#maxBatch || this.#delayMs === 0) {
      this.#timer = setImmediate(() => {
        this.#timer = undefined;
        this.#startNow();
      });
    } else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startNow();
      }, this.#delayMs);
    }
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }

  #startNow(): void {
    this.#clearTimer();
    if (this.#running !== undefined || this.#queue.length === 0) return;
    const batch =
      this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(this.#maxBatch);
    this.#running = this.#sequence(batch).finally(() => {
      this.#running = undefined;
      if (this.#queue.length > 0 && this.#failed === undefined) this.#schedule();
    });
  }

  async #sequence(batch: Pending[]): Promise<void> {
    try {
      const known = await this.#store.findLeaves(batch.map((p) => p.leafHash));
      const fromSize = this.#size;
      const fresh: IndexedLeaf[] = [];
      const indexes = new Array<number>(batch.length);
      const inBatch = new Map<string, number>();
      batch.forEach((pending, i) => {
        const key = pending.leafHash.toString('latin1');
        const existing = known.get(key) ?? inBatch.get(key);
        if (existing !== undefined) {
          indexes[i] = existing;
          return;
        }
        const index = fromSize + fresh.length;
        inBatch.set(key, index);
        indexes[i] = index;
        fresh.push({ index, leafHash: pending.leafHash, entry: pending.entry });
      });
      await this.#commit(fresh, fromSize);
      batch.forEach((pending, i) => {
        this.#acknowledge(indexes[i] as number, pending);
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      await this.#recover(error);
    }
  }

  /** Appends `fresh` to the tree, signs, and commits; in-memory state moves only on success. */
  async #commit(fresh: IndexedLeaf[], fromSize: number): Promise<void> {
    const frontier = this.#frontier;
    const read: HashReader = (level) => {
      const hash = frontier[level];
      if (hash === undefined) throw new Error(`no stored hash at level ${level} on the right edge`);
      return hash;
    };
    let size = fromSize;
    for (const leaf of fresh) {
      for (const stored of appendLeaf(size, leaf.leafHash, read)) {
        frontier[stored.level] = stored.hash;
        this.#tiles.add(stored.level, stored.index, stored.hash);
      }
      size += 1;
    }
    const rootHash = treeRoot(size, read);
    const note = signCheckpoint(
      { origin: this.origin, size, rootHash, extensions: [] },
      this.#signer,
    );
    const checkpoint = { size, rootHash, note };
    await this.#store.integrate({ fromSize, leaves: fresh, tiles: this.#tiles.take(), checkpoint });
    this.#size = size;
    this.#checkpoint = { ...checkpoint, cosignedNote: undefined };
    if (!this.#awaitCosigning) {
      this.#acknowledgedSize = size;
      this.#published = this.#checkpoint;
    } else if (this.#published.note === '') {
      this.#published = this.#checkpoint;
    }
    this.#onCheckpoint?.(this.#checkpoint);
  }

  #acknowledge(index: number, pending: Pending): void {
    if (index < this.#acknowledgedSize) pending.resolve({ index, leafHash: pending.leafHash });
    else this.#awaiting.push({ index, pending });
  }

  /**
   * After a failed batch the in-memory right edge may be ahead of the store; reload it from the
   * store so that the next batch builds on what is durable. If even that fails, stop.
   */
  async #recover(error: unknown): Promise<void> {
    this.#logger?.error({ err: error }, 'a batch failed; reloading the log state from the store');
    try {
      const state = await loadLogState(this.#store, this.#signer);
      this.#size = state.checkpoint.size;
      this.#frontier = state.frontier;
      this.#tiles = state.tiles;
      this.#checkpoint = state.checkpoint;
    } catch (reloadError) {
      this.#failed = reloadError;
      this.#logger?.fatal(
        { err: reloadError },
        'the log state cannot be reloaded; refusing entries',
      );
      for (const pending of this.#queue) pending.reject(reloadError);
      this.#queue = [];
    }
  }
}
