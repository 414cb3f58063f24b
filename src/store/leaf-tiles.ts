/**
 * The leaf-hash index of a log store (de-duplication, `findLeaves`) is kept in memory and built
 * from the level-0 tiles, which hold every leaf hash in order (c2sp.org/tlog-tiles). Every
 * adapter catches its index up the same way, so the checks live here once.
 */
import { HASH_SIZE } from '../tlog/hash.js';
import type { LeafIndex } from '../tlog/leaf-index.js';
import { TILE_WIDTH } from '../tlog/tiles.js';
import { StoreError } from './errors.js';

export interface LeafTileRow {
  readonly idx: number;
  readonly hashes: Buffer;
}

/** The level-0 tile indexes that hold the leaves [from, size): the rows to read. */
export function leafTileRange(from: number, size: number): { first: number; last: number } {
  return { first: Math.floor(from / TILE_WIDTH), last: Math.floor((size - 1) / TILE_WIDTH) };
}

/**
 * Adds the leaves [from, size) to `leaves` from `rows` (the level-0 tiles of leafTileRange, in
 * order); STORE_CORRUPT when a tile is missing or too short for the size the checkpoint claims.
 */
export function indexLeafTiles(
  leaves: LeafIndex,
  rows: readonly LeafTileRow[],
  from: number,
  size: number,
): void {
  let next = from;
  for (const { idx, hashes } of rows) {
    const end = Math.min(size, (idx + 1) * TILE_WIDTH);
    if (next < idx * TILE_WIDTH || hashes.length < (end - idx * TILE_WIDTH) * HASH_SIZE) {
      throw new StoreError(
        'STORE_CORRUPT',
        `the level-0 tile ${idx} is missing or short: the log of size ${size} needs leaf hashes up to ${end}`,
      );
    }
    for (; next < end; next += 1) leaves.add(hashes, next, (next - idx * TILE_WIDTH) * HASH_SIZE);
  }
  if (next !== size) {
    throw new StoreError(
      'STORE_CORRUPT',
      `the level-0 tiles hold leaf hashes up to ${next}, but the log has size ${size}`,
    );
  }
}

/** Whether `hash` is the leaf hash at `index` in its level-0 tile row (undefined: no row). */
export function tileHoldsLeaf(hashes: Buffer | undefined, index: number, hash: Buffer): boolean {
  const at = (index % TILE_WIDTH) * HASH_SIZE;
  return hashes !== undefined && hash.equals(hashes.subarray(at, at + HASH_SIZE));
}
