import type { ApiSnapshot, ApiSnapshotSource } from './api-snapshot.js';

/**
 * A snapshot source that computes its snapshot once per log size: the report is recomputed only when the log
 * grew (new statements can change findings), and concurrent requests share one computation.
 */
export class CachedSnapshotSource implements ApiSnapshotSource {
  readonly #compute: (size: number) => Promise<ApiSnapshot>;
  readonly #size: () => number;
  #cached: { readonly size: number; readonly snapshot: Promise<ApiSnapshot> } | undefined;

  /**
   * @param size the log's current size (e.g. `() => sequencer.checkpoint.size`)
   * @param compute builds the snapshot (runs the check engine) for that size
   */
  constructor(size: () => number, compute: (size: number) => Promise<ApiSnapshot>) {
    this.#size = size;
    this.#compute = compute;
  }

  snapshot(): Promise<ApiSnapshot> {
    const size = this.#size();
    if (this.#cached?.size !== size) {
      const snapshot = this.#compute(size);
      this.#cached = { size, snapshot };
      // A failed computation is not cached: the next request tries again.
      snapshot.catch(() => {
        if (this.#cached?.snapshot === snapshot) this.#cached = undefined;
      });
    }
    return this.#cached.snapshot;
  }
}
