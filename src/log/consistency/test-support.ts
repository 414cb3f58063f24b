/** Test support: signed checkpoints of histories built in memory, and copies of their trees. */
import { openCheckpoint, signCheckpoint } from '../../tlog/checkpoint.js';
import { leafHash } from '../../tlog/hash.js';
import { MemoryTree } from '../../tlog/memory-tree.js';
import type { NoteSigner } from '../../tlog/note-key.js';
import { fullConsistencyPath } from '../../tlog/tree.js';
import type { ObservedCheckpoint, TreeCopy } from './cross-check.js';

/** A tree of `size` leaves sharing its first `common` with every other history. */
export function historyTree(size: number, common: number, own: string): MemoryTree {
  const tree = new MemoryTree();
  for (let i = 0; i < size; i += 1) {
    tree.append(leafHash(Buffer.from(i < common ? `entry ${i}` : `${own} ${i}`)));
  }
  return tree;
}

export function observed(
  tree: MemoryTree,
  size: number,
  key: NoteSigner,
  seenBy: string,
): ObservedCheckpoint {
  const checkpoint = signCheckpoint(
    { origin: key.name, size, rootHash: tree.root(size), extensions: [] },
    key,
  );
  return { checkpoint, seenBy, opened: openCheckpoint(checkpoint, key).checkpoint };
}

/** A copy of `tree` at its full size; `lying` serves another tree's hashes for its proofs. */
export function copyOf(
  tree: MemoryTree,
  key: NoteSigner,
  seenBy: string,
  lying?: MemoryTree,
): TreeCopy {
  const seen = observed(tree, tree.size, key, seenBy);
  const source = lying ?? tree;
  return {
    seen,
    fullConsistencyPath: (m) => Promise.resolve(fullConsistencyPath(m, tree.size, source.read)),
  };
}
