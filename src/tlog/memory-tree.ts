/**
 * An in-memory store of a tree's stored hashes: the reference store for tests and tools that
 * build a small tree without a database.
 */
import { TlogError } from './errors.js';
import { appendLeaf, treeRoot, type HashReader } from './tree.js';

export class MemoryTree {
  /** levels[l][i] = stored hash of the complete subtree at level l, index i. */
  private readonly levels: Buffer[][] = [];
  private leaves = 0;

  /** The number of leaves appended so far. */
  get size(): number {
    return this.leaves;
  }

  /** Reads a stored hash (throws TLOG_INDEX_OUT_OF_RANGE if that subtree is not complete). */
  readonly read: HashReader = (level, index) => {
    const hash = this.levels[level]?.[index];
    if (hash === undefined) {
      throw new TlogError(
        'TLOG_INDEX_OUT_OF_RANGE',
        `no stored hash at level ${level}, index ${index} in a tree of size ${this.leaves}`,
      );
    }
    return hash;
  };

  /** Appends one leaf hash and returns its index. */
  append(leafHash: Buffer): number {
    const index = this.leaves;
    for (const stored of appendLeaf(index, leafHash, this.read)) {
      (this.levels[stored.level] ??= []).push(stored.hash);
    }
    this.leaves += 1;
    return index;
  }

  /** The root hash at `size` (default: the current size). */
  root(size: number = this.leaves): Buffer {
    return treeRoot(size, this.read);
  }
}
