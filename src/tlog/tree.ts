/**
 * Building a Merkle tree incrementally from stored subtree hashes, and producing its root and
 * proofs (RFC 9162 §2.1). A "stored hash" is the hash of a complete subtree of 2^level leaves
 * starting at leaf index * 2^level; every other node is recomputed from them on demand, so the
 * store only ever grows (append-only, as the tlog-tiles layout requires).
 *
 * Sizes and indexes are JavaScript numbers and stay exact up to 2^53 - 1: the arithmetic uses
 * division and multiplication by two, never 32-bit bit operators.
 */
import { TlogError } from './errors.js';
import { EMPTY_ROOT, nodeHash } from './hash.js';

/** The stored hash of the complete subtree of 2^level leaves starting at leaf index * 2^level. */
export type HashReader = (level: number, index: number) => Buffer;

/** One stored hash that became known, addressed like a {@link HashReader} read. */
export interface StoredHash {
  readonly level: number;
  readonly index: number;
  readonly hash: Buffer;
}

/** Receives one stored hash that became known, addressed like a {@link HashReader} read. */
export type StoredHashVisitor = (level: number, index: number, hash: Buffer) => void;

/**
 * The stored hashes that become known when leaf number `size` (0-based) is appended: the leaf
 * itself at level 0, then the root of every complete subtree that this leaf closes. Reads only
 * hashes of earlier leaves (left siblings).
 */
export function appendLeaf(size: number, leafHash: Buffer, read: HashReader): StoredHash[] {
  const out: StoredHash[] = [];
  visitAppendedLeaf(size, leafHash, read, (level, index, hash) => {
    out.push({ level, index, hash });
  });
  return out;
}

/**
 * {@link appendLeaf}, handing each stored hash to `visit` in the same order instead of
 * collecting them: a log appends every entry this way, so it allocates nothing per hash. The
 * left sibling at each level is read before that level's new hash is visited, so a visitor may
 * overwrite the right-edge slot that `read` serves for that level.
 */
export function visitAppendedLeaf(
  size: number,
  leafHash: Buffer,
  read: HashReader,
  visit: StoredHashVisitor,
): void {
  checkSize(size, 'tree size');
  let hash = leafHash;
  let index = size;
  let level = 0;
  for (;;) {
    const left = index % 2 === 1 ? read(level, index - 1) : undefined;
    visit(level, index, hash);
    if (left === undefined) return;
    hash = nodeHash(left, hash);
    index = (index - 1) / 2;
    level += 1;
  }
}

/**
 * Appends a batch of leaves starting at leaf number `size`, reading earlier hashes from `read`
 * and hashes produced earlier in the same batch from its own overlay. Returns every new stored
 * hash in append order.
 */
export function appendLeaves(
  size: number,
  leafHashes: readonly Buffer[],
  read: HashReader,
): StoredHash[] {
  checkSize(size, 'tree size');
  const overlay: Map<number, Buffer>[] = [];
  const readThrough: HashReader = (level, index) =>
    overlay[level]?.get(index) ?? read(level, index);
  const out: StoredHash[] = [];
  for (let i = 0; i < leafHashes.length; i += 1) {
    const added = appendLeaf(size + i, leafHashes[i] as Buffer, readThrough);
    for (const stored of added) {
      let byIndex = overlay[stored.level];
      if (byIndex === undefined) {
        byIndex = new Map();
        overlay[stored.level] = byIndex;
      }
      byIndex.set(stored.index, stored.hash);
      out.push(stored);
    }
  }
  return out;
}

/** The Merkle tree hash MTH(D[0:size]) (RFC 9162 §2.1.1); the empty tree hashes to SHA-256(""). */
export function treeRoot(size: number, read: HashReader): Buffer {
  checkSize(size, 'tree size');
  if (size === 0) return Buffer.from(EMPTY_ROOT);
  return rangeHash(0, size, read);
}

/**
 * The inclusion proof PATH(index, D[0:size]) (RFC 9162 §2.1.3.1): sibling hashes from the leaf
 * upwards, the leaf's sibling first.
 */
export function inclusionProof(index: number, size: number, read: HashReader): Buffer[] {
  return inclusionPath(index, size, read, rangeHash);
}

/** A range hasher: {@link rangeHash}, or a cached one in a {@link TreeView}. */
type RangeHasher = (lo: number, hi: number, read: HashReader) => Buffer;

function inclusionPath(index: number, size: number, read: HashReader, edge: RangeHasher): Buffer[] {
  checkSize(size, 'tree size');
  checkSize(index, 'leaf index');
  if (index >= size) {
    throw new TlogError(
      'TLOG_INDEX_OUT_OF_RANGE',
      `leaf index ${index} is not in a tree of size ${size}`,
    );
  }
  const path: Buffer[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < lo + k) {
      path.push(edge(lo + k, hi, read));
      hi = lo + k;
    } else {
      path.push(edge(lo, lo + k, read));
      lo += k;
    }
  }
  return path.reverse();
}

/**
 * The consistency proof PROOF(size1, D[0:size2]) = SUBPROOF(size1, D[0:size2], true)
 * (RFC 9162 §2.1.4.1). Empty when the sizes are equal or size1 is 0 (tlog-witness `old 0`).
 */
export function consistencyProof(size1: number, size2: number, read: HashReader): Buffer[] {
  return consistencyPath(size1, size2, read, rangeHash);
}

/**
 * SUBPROOF(size1, D[0:size2], false) (RFC 9162 §2.1.4.1) for 0 < size1 < size2: the consistency
 * proof with the first `size1` leaves' own root in it even when size1 is a power of two, where
 * the ordinary proof leaves it out because its verifier holds that root. Computed from the larger
 * tree alone, it shows what that tree says the smaller one's root is (`rootsFromConsistencyPath`):
 * the evidence that a log signed a tree of size1 that its tree of size2 does not extend.
 */
export function fullConsistencyPath(size1: number, size2: number, read: HashReader): Buffer[] {
  if (size1 === 0 || size1 >= size2) {
    throw new TlogError(
      'TLOG_INDEX_OUT_OF_RANGE',
      `a full consistency path needs 0 < old size < new size, not ${size1} and ${size2}`,
    );
  }
  return consistencyPath(size1, size2, read, rangeHash, false);
}

function consistencyPath(
  size1: number,
  size2: number,
  read: HashReader,
  edge: RangeHasher,
  startComplete = true,
): Buffer[] {
  checkSize(size1, 'old tree size');
  checkSize(size2, 'new tree size');
  if (size1 > size2) {
    throw new TlogError(
      'TLOG_INDEX_OUT_OF_RANGE',
      `old tree size ${size1} is larger than new tree size ${size2}`,
    );
  }
  const path: Buffer[] = [];
  if (size1 === 0 || size1 === size2) return path;
  let lo = 0;
  let hi = size2;
  let m = size1;
  let complete = startComplete;
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      // SUBPROOF(m, D[m], b): the old tree's own root is only needed once we left its path.
      if (!complete) path.push(edge(lo, hi, read));
      break;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      path.push(edge(lo + k, hi, read));
      hi = lo + k;
    } else {
      path.push(edge(lo, lo + k, read));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  return path.reverse();
}

/** Root and proofs of one fixed tree size, see {@link treeView}. */
export interface TreeView {
  readonly size: number;
  readonly root: Buffer;
  inclusionProof(index: number): Buffer[];
  consistencyProof(oldSize: number): Buffer[];
}

/**
 * Root and proofs for one published tree size, sharing work between proofs: ranges that are not
 * complete subtrees all end at the size (the ragged right edge) and cost one node hash per
 * complete subtree they span, and every proof needs the same few. Make one per signed checkpoint,
 * whose stored hashes can no longer change; the free functions never cache.
 */
export function treeView(size: number, read: HashReader): TreeView {
  const root = treeRoot(size, read);
  const edges = new Map<number, Buffer>();
  const edge: RangeHasher = (lo, hi, r) => {
    if (hi !== size) return rangeHash(lo, hi, r);
    let hash = edges.get(lo);
    if (hash === undefined) {
      hash = rangeHash(lo, hi, r);
      edges.set(lo, hash);
    }
    return Buffer.from(hash);
  };
  return {
    size,
    root,
    inclusionProof: (index) => inclusionPath(index, size, read, edge),
    consistencyProof: (oldSize) => consistencyPath(oldSize, size, read, edge),
  };
}

/**
 * The hash of leaves [lo, hi) as the RFC 9162 recursion defines it, for ranges that the recursion
 * produces (lo aligned): split into maximal complete subtrees left to right, fold from the right.
 */
export function rangeHash(lo: number, hi: number, read: HashReader): Buffer {
  let start = lo;
  let remaining = hi - lo;
  const parts: Buffer[] = [];
  while (remaining > 0) {
    let width = 1;
    let level = 0;
    while (width * 2 <= remaining && start % (width * 2) === 0) {
      width *= 2;
      level += 1;
    }
    parts.push(read(level, start / width));
    start += width;
    remaining -= width;
  }
  let hash = parts[parts.length - 1];
  if (hash === undefined) return Buffer.from(EMPTY_ROOT);
  for (let i = parts.length - 2; i >= 0; i -= 1) hash = nodeHash(parts[i] as Buffer, hash);
  return hash;
}

/**
 * Reference MTH over a list of leaf hashes, written straight from RFC 9162 §2.1.1 without stored
 * hashes, to check the incremental code against.
 */
export function rootFromLeafHashes(hashes: readonly Buffer[]): Buffer {
  const mth = (lo: number, hi: number): Buffer => {
    const n = hi - lo;
    if (n === 0) return Buffer.from(EMPTY_ROOT);
    if (n === 1) return hashes[lo] as Buffer;
    const k = largestPowerOfTwoBelow(n);
    return nodeHash(mth(lo, lo + k), mth(lo + k, hi));
  };
  return mth(0, hashes.length);
}

/** The largest power of two strictly below n, for n >= 2 (the RFC's k). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TlogError(
      'TLOG_INDEX_OUT_OF_RANGE',
      `${what} must be an integer from 0 to 2^53-1, not ${value}`,
    );
  }
}
