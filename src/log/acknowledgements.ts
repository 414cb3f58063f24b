/**
 * Answers to the log's writers. An entry is acknowledged only once a published checkpoint
 * covers its index: at once when the checkpoint that made it durable is published, or, when a
 * witness quorum is awaited, once the quorum has cosigned a checkpoint covering it.
 */

/** What the log answers a writer with. */
export interface Sequenced {
  readonly index: number;
  readonly leafHash: Buffer;
}

/** A writer waiting for its answer. */
export interface Writer {
  readonly leafHash: Buffer;
  readonly resolve: (value: Sequenced) => void;
  readonly reject: (error: unknown) => void;
}

interface Waiting {
  readonly index: number;
  readonly writer: Writer;
}

export class Acknowledgements {
  /** Every index below this is covered by a published checkpoint. */
  #size: number;
  #waiting: Waiting[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  /** Answers `writer` with `index` now if a published checkpoint covers it, else holds it. */
  answer(index: number, writer: Writer): void {
    if (index < this.#size) writer.resolve({ index, leafHash: writer.leafHash });
    else this.#waiting.push({ index, writer });
  }

  /** A published checkpoint covers every index below `size`: answer the writers it covers. */
  advance(size: number): void {
    if (size <= this.#size) return;
    this.#size = size;
    // A duplicate may wait on an older index than entries queued before it: scan them all.
    const still: Waiting[] = [];
    for (const waiting of this.#waiting) {
      if (waiting.index < size) {
        waiting.writer.resolve({ index: waiting.index, leafHash: waiting.writer.leafHash });
      } else {
        still.push(waiting);
      }
    }
    this.#waiting = still;
  }

  /** Rejects every writer still waiting (on shutdown). */
  abandon(reason: unknown): void {
    for (const { writer } of this.#waiting) writer.reject(reason);
    this.#waiting = [];
  }
}
