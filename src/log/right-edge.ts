/**
 * The tree's right edge in memory: appending leaves needs only the hashes along it (one per
 * level), not the tree, and every node hash it completes goes to the tile builder.
 */
import type { IndexedLeaf } from '../store/log-store-port.js';
import { treeRoot, visitAppendedLeaf, type HashReader } from '../tlog/tree.js';
import type { TileBuilder } from './tile-builder.js';

/**
 * Appends `fresh` to a tree of `fromSize` leaves whose right edge is `frontier` (updated in
 * place), recording each completed node hash in `tiles`; returns the new size and root hash.
 */
export function extendRightEdge(
  frontier: Buffer[],
  tiles: TileBuilder,
  fromSize: number,
  fresh: readonly IndexedLeaf[],
): { size: number; rootHash: Buffer } {
  const read: HashReader = (level) => {
    const hash = frontier[level];
    if (hash === undefined) throw new Error(`no stored hash at level ${level} on the right edge`);
    return hash;
  };
  const store = (level: number, index: number, hash: Buffer): void => {
    frontier[level] = hash;
    tiles.add(level, index, hash);
  };
  let size = fromSize;
  for (const leaf of fresh) {
    visitAppendedLeaf(size, leaf.leafHash, read, store);
    size += 1;
  }
  return { size, rootHash: treeRoot(size, read) };
}
