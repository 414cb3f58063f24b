import type { HashReader } from '../tlog/tree.js';
import { nodeHash } from '../tlog/hash.js';
import { HASH_SIZE as HASH_BYTES } from '../tlog/hash.js';
import { TILE_HEIGHT, TILE_WIDTH, tileWidthAt } from '../tlog/tiles.js';
import { LogError } from './errors.js';

/** Fetches the row of hashes of tile (level, index), as much of it as exists; undefined if none. */
export type TileFetcher = (level: number, index: number) => Promise<Buffer | undefined>;

/** Thrown inside a computation when a tile is not loaded yet; caught by {@link TreeReader.compute}. */
class TileMissing extends Error {
  constructor(
    readonly level: number,
    readonly index: number,
  ) {
    super(`tile ${level}/${index} is not loaded`);
  }
}

/**
 * Serves the synchronous {@link HashReader} that the pure tree code needs from tiles fetched
 * asynchronously (a database, or HTTP for a monitor). A computation runs; each tile it lacks
 * is recorded, fetched, and the computation re-runs — a proof touches a few tiles per tile
 * level, so this converges in a handful of rounds.
 *
 * Any stored hash at tree level 8L+r is the Merkle root of 2^r consecutive hashes of a tile at
 * tile level L (c2sp.org/tlog-tiles). Full tiles are immutable, so their inner nodes are computed
 * once and cached; partial tiles are only trusted for one computation.
 *
 * The cache is bounded in tiles and each cached tile is ONE buffer (its 511 hashes, level by
 * level, 16 KiB): as a log grows every tile that a proof touches becomes full, and a cache of
 * one small Buffer per hash, 4,096 tiles deep, grew the server by a hundred megabytes of small
 * objects over a soak, slowing every garbage collection with it.
 */
export class TreeReader {
  readonly #fetch: TileFetcher;
  /** Full tiles by "level/index": their hashes, tile level 0 first (see {@link levelOffset}). */
  readonly #full = new Map<string, Buffer>();
  readonly #maxCachedTiles: number;

  constructor(fetch: TileFetcher, options: { maxCachedTiles?: number } = {}) {
    this.#fetch = fetch;
    this.#maxCachedTiles = options.maxCachedTiles ?? DEFAULT_CACHED_TILES;
  }

  /** Full tiles cached now (at most `maxCachedTiles`). */
  get cachedTiles(): number {
    return this.#full.size;
  }

  /** Runs `work` with a reader over the tree of `size` leaves, fetching tiles as it needs them. */
  async compute<T>(size: number, work: (read: HashReader) => T): Promise<T> {
    const partial = new Map<string, Buffer>();
    for (let round = 0; round < 64; round += 1) {
      const missing = new Map<string, TileMissing>();
      const read: HashReader = (level, index) => this.#read(size, level, index, partial, missing);
      try {
        return work(read);
      } catch (error) {
        if (!(error instanceof TileMissing)) throw error;
        missing.set(`${error.level}/${error.index}`, error);
      }
      await Promise.all(
        [...missing.values()].map(async ({ level, index }) => {
          const hashes = await this.#fetch(level, index);
          const needed = tileWidthAt(level, index, size);
          if (hashes === undefined || hashes.length < needed * HASH_BYTES) {
            throw new LogError(
              'LOG_STATE_INVALID',
              `tile ${level}/${index} holds ${(hashes?.length ?? 0) / HASH_BYTES} hashes; a tree of ${size} needs ${needed}`,
              { where: `tile/${level}/${index}` },
            );
          }
          const row = hashes.subarray(0, needed * HASH_BYTES);
          // Kept for this computation either way: a full tile may be evicted before it is read.
          partial.set(`${level}/${index}`, row);
          if (needed === TILE_WIDTH) this.#cacheFull(`${level}/${index}`, row);
        }),
      );
    }
    throw new LogError('LOG_STATE_INVALID', 'a tree computation kept asking for new tiles');
  }

  #read(
    size: number,
    level: number,
    index: number,
    partial: Map<string, Buffer>,
    missing: Map<string, TileMissing>,
  ): Buffer {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const sublevel = level - tileLevel * TILE_HEIGHT;
    const span = 2 ** sublevel;
    const first = index * span;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const position = first - tileIndex * TILE_WIDTH;
    if ((index + 1) * 2 ** level > size) {
      throw new LogError(
        'LOG_STATE_INVALID',
        `hash ${level}/${index} is not complete in a tree of ${size}`,
      );
    }
    const key = `${tileLevel}/${tileIndex}`;
    const levels = this.#full.get(key);
    if (levels !== undefined) {
      // Refresh the entry's place in the insertion-ordered map (least recently used goes first).
      this.#full.delete(key);
      this.#full.set(key, levels);
      const at = (levelOffset(sublevel) + position / span) * HASH_BYTES;
      return levels.subarray(at, at + HASH_BYTES);
    }
    const row = partial.get(key);
    if (row === undefined) {
      const miss = new TileMissing(tileLevel, tileIndex);
      missing.set(key, miss);
      throw miss;
    }
    return subtreeHash(row, position, span);
  }

  #cacheFull(key: string, row: Buffer): void {
    if (this.#maxCachedTiles <= 0) return;
    const levels = Buffer.allocUnsafe(levelOffset(TILE_HEIGHT) * HASH_BYTES);
    row.copy(levels, 0, 0, TILE_WIDTH * HASH_BYTES);
    for (let l = 1; l < TILE_HEIGHT; l += 1) {
      const below = levelOffset(l - 1);
      const here = levelOffset(l);
      for (let i = 0; i < TILE_WIDTH >> l; i += 1) {
        const left = (below + 2 * i) * HASH_BYTES;
        nodeHash(
          levels.subarray(left, left + HASH_BYTES),
          levels.subarray(left + HASH_BYTES, left + 2 * HASH_BYTES),
        ).copy(levels, (here + i) * HASH_BYTES);
      }
    }
    this.#full.set(key, levels);
    if (this.#full.size > this.#maxCachedTiles) {
      const oldest = this.#full.keys().next();
      if (oldest.done !== true) this.#full.delete(oldest.value);
    }
  }
}

/**
 * Full tiles cached by default: 256 × 16 KiB = 4 MiB. A proof touches one tile a tile level, so
 * this keeps the tiles of recent proofs, and the most recently used others, whatever the log size.
 */
const DEFAULT_CACHED_TILES = 256;

/** Where the hashes of sublevel `level` start in a cached tile (in hashes): 256, 128, … before it. */
function levelOffset(level: number): number {
  return 2 * TILE_WIDTH - (2 * TILE_WIDTH) / 2 ** level;
}

/** The root of the perfect subtree over `span` hashes of `row` from `position` (span a power of 2). */
function subtreeHash(row: Buffer, position: number, span: number): Buffer {
  let layer: Buffer[] = [];
  for (let i = 0; i < span; i += 1) {
    const at = (position + i) * HASH_BYTES;
    layer.push(row.subarray(at, at + HASH_BYTES));
  }
  while (layer.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < layer.length; i += 2)
      next.push(nodeHash(layer[i] as Buffer, layer[i + 1] as Buffer));
    layer = next;
  }
  const root = layer[0];
  if (root === undefined) throw new Error('empty subtree');
  return Buffer.from(root);
}
