import type { ProductSnapshot, ProductView } from './view.js';

/**
 * A view that computes its snapshot once per log size: the report is recomputed only when the log
 * grew (new statements can change findings), and concurrent requests share one computation.
 */
export class CachedView implements ProductView {
  readonly #compute: (size: number) => Promise<ProductSnapshot>;
  readonly #size: () => number;
  #cached: { readonly size: number; readonly snapshot: Promise<ProductSnapshot> } | undefined;

  /**
   * @param size the log's current size (e.g. `() => sequencer.checkpoint.size`)
   * @param compute builds the snapshot (runs the check engine) for that size
   */
  constructor(size: () => number, compute: (size: number) => Promise<ProductSnapshot>) {
    this.#size = size;
    this.#compute = compute;
  }

  snapshot(): Promise<ProductSnapshot> {
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
