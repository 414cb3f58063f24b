/**
 * A replica's view of the log head: the latest signed checkpoint in the shared store, read when
 * a notification says it moved and at a steady interval besides. It only ever moves forward, and
 * only to a checkpoint that verifies under the log's key: a replica serves nothing the log did
 * not sign, and never a smaller tree after a larger one.
 */
import type { Logger } from 'pino';
import { openCheckpoint } from '../../tlog/checkpoint.js';
import type { NoteVerifier } from '../../tlog/note-key.js';
import type { StoredCheckpoint } from '../../store/log-store-port.js';
import type { CheckpointSource } from './replica-ports.js';

export interface CheckpointWatchOptions {
  readonly read: CheckpointSource;
  readonly verifier: NoteVerifier;
  /** Publish only checkpoints the witness quorum cosigned (stored with their cosignatures). */
  readonly requireCosigned: boolean;
  /** The interval of reads when no notification arrives, in ms. */
  readonly pollMs: number;
  /** Called with each newer checkpoint. */
  readonly onAdvance: (checkpoint: StoredCheckpoint) => void;
  readonly logger?: Logger | undefined;
}

export const NO_CHECKPOINT: StoredCheckpoint = {
  size: 0,
  rootHash: Buffer.alloc(32),
  note: '',
  cosignedNote: undefined,
};

export class CheckpointWatch {
  readonly #options: CheckpointWatchOptions;
  #latest: StoredCheckpoint = NO_CHECKPOINT;
  #reading: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: CheckpointWatchOptions) {
    this.#options = options;
  }

  /** The newest checkpoint seen; size 0 with an empty note before any. */
  get latest(): StoredCheckpoint {
    return this.#latest;
  }

  /** Reads the store once now (when it starts) and every `pollMs` after. */
  async start(): Promise<void> {
    await this.poke();
    this.#schedule();
  }

  /** Reads the store now (a notification came), once more if a read is already running. */
  poke(): Promise<void> {
    if (this.#reading !== undefined) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = this.#read().finally(() => {
      this.#reading = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.poke();
      }
    });
    return this.#reading;
  }

  /** A checkpoint this replica made durable itself (as the sequencer): no need to read it. */
  observe(checkpoint: StoredCheckpoint): void {
    this.#advance(checkpoint);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.poke().finally(() => {
        this.#schedule();
      });
    }, this.#options.pollMs);
    this.#timer.unref();
  }

  async #read(): Promise<void> {
    let stored: StoredCheckpoint | undefined;
    try {
      stored = await this.#options.read();
    } catch (error) {
      this.#options.logger?.warn({ err: error }, 'cannot read the latest checkpoint; retrying');
      return;
    }
    if (stored === undefined) return;
    if (this.#options.requireCosigned) {
      if (stored.cosignedNote === undefined) return;
    }
    try {
      openCheckpoint(stored.note, this.#options.verifier, { witnesses: [], quorum: 0 });
    } catch (error) {
      this.#options.logger?.error(
        { err: error, size: stored.size },
        'the stored checkpoint does not verify under the log key; not serving it',
      );
      return;
    }
    this.#advance(stored);
  }

  #advance(checkpoint: StoredCheckpoint): void {
    const latest = this.#latest;
    if (checkpoint.size < latest.size) return;
    if (checkpoint.size === latest.size && latest.note !== '') {
      // The same tree: only cosignatures may be new.
      if (checkpoint.cosignedNote === undefined || latest.cosignedNote !== undefined) return;
    }
    this.#latest = checkpoint;
    this.#options.onAdvance(checkpoint);
  }
}
