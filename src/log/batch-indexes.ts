/**
 * Which index each entry of a batch gets. A log never holds an entry twice: an entry already in
 * the store, in a batch still being written, or earlier in the same batch gets that copy's
 * index; only the rest are new leaves, at consecutive indexes after the tree's size.
 */
import type { IndexedLeaf } from '../store/log-store-port.js';
import { LeafIndex } from '../tlog/leaf-index.js';

/** A batch's new leaves, at consecutive indexes, with their hashes indexed for look-ups. */
export interface NewLeaves {
  readonly fresh: readonly IndexedLeaf[];
  /** Leaf hash → position in `fresh`. */
  readonly leaves: LeafIndex;
}

/** The index of `hash` among a batch's new leaves, if it is one of them. */
export function findFresh(batch: NewLeaves, hash: Buffer): number | undefined {
  const position = batch.leaves.find(
    hash,
    (candidate) => batch.fresh[candidate]?.leafHash.equals(hash) === true,
  );
  return position === undefined ? undefined : batch.fresh[position]?.index;
}

/**
 * Gives each entry of `batch` its index: the store's (`known`, keyed by the latin1 leaf hash),
 * one of a batch in flight, an earlier copy's in this batch, or the next new index from
 * `fromSize`. Returns the new leaves and every entry's index, in batch order.
 */
export function assignIndexes(
  batch: readonly { readonly entry: Uint8Array; readonly leafHash: Buffer }[],
  known: ReadonlyMap<string, number>,
  inFlight: readonly NewLeaves[],
  fromSize: number,
): { fresh: IndexedLeaf[]; leaves: LeafIndex; indexes: number[] } {
  const fresh: IndexedLeaf[] = [];
  const leaves = new LeafIndex(batch.length);
  const own: NewLeaves = { fresh, leaves };
  const indexes = new Array<number>(batch.length);
  batch.forEach(({ entry, leafHash }, i) => {
    let index = known.size === 0 ? undefined : known.get(leafHash.toString('latin1'));
    for (let b = 0; index === undefined && b < inFlight.length; b += 1) {
      index = findFresh(inFlight[b] as NewLeaves, leafHash);
    }
    index ??= findFresh(own, leafHash);
    if (index === undefined) {
      index = fromSize + fresh.length;
      leaves.add(leafHash, fresh.length);
      fresh.push({ index, leafHash, entry });
    }
    indexes[i] = index;
  });
  return { fresh, leaves, indexes };
}
