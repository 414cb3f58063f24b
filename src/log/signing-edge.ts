import { signCheckpoint } from '../tlog/checkpoint.js';
import type { NoteSigner } from '../tlog/note-key.js';
import type { IndexedLeaf, IntegrationBatch } from '../store/log-store-port.js';
import type { LogState } from './log-state.js';
import { extendRightEdge } from './right-edge.js';
import { TileBuilder } from './tile-builder.js';

/** What appending a batch to the edge gives the store to write. */
export type SignedAppend = Pick<IntegrationBatch, 'tiles' | 'checkpoint' | 'signTimes'>;

/**
 * The sequencer's tree, as far as it can grow it: the size, right edge and open tiles including
 * the batches not yet durable, and the key that signs a checkpoint over each batch. It moves
 * before a batch is durable, so the next batch can be built on it; after a failed batch it is
 * reloaded from the store (`reload`).
 */
export class SigningEdge {
  #size = 0;
  #frontier: Buffer[] = [];
  #tiles = new TileBuilder();

  constructor(
    private readonly signer: NoteSigner,
    state: LogState,
  ) {
    this.reload(state);
  }

  /** The tree size including the batches in flight. */
  get size(): number {
    return this.#size;
  }

  /** Back to what the store holds. */
  reload(state: LogState): void {
    this.#size = state.checkpoint.size;
    this.#frontier = state.frontier;
    this.#tiles = state.tiles;
  }

  /** Appends `fresh` (at fromSize, fromSize + 1, …) and signs the checkpoint over the new tree. */
  append(fresh: readonly IndexedLeaf[], fromSize: number): SignedAppend {
    const { size, rootHash } = extendRightEdge(this.#frontier, this.#tiles, fromSize, fresh);
    const signedAt = Date.now();
    const note = signCheckpoint(
      { origin: this.signer.name, size, rootHash, extensions: [] },
      this.signer,
    );
    this.#size = size;
    return {
      tiles: this.#tiles.take(),
      checkpoint: { size, rootHash, note },
      signTimes: [{ size, at: signedAt }],
    };
  }
}
