import type { TileRow } from '../store/log-store-port.js';
import { HASH_SIZE as HASH_BYTES } from '../tlog/hash.js';
// c2sp.org/tlog-tiles: height 8, so a tile holds 256 hashes and tile level L holds tree level 8L.
import { TILE_HEIGHT, TILE_WIDTH } from '../tlog/tiles.js';

interface OpenTile {
  index: number;
  count: number;
  readonly hashes: Buffer;
  dirty: boolean;
}

/**
 * The right edge of every tile level, kept in memory so that a batch appends hashes without
 * reading the store: for each tile level, the rightmost (partial) tile. `take()` hands out the
 * rows a batch changed — each completed tile once, and each open tile at its new width.
 */
export class TileBuilder {
  readonly #open: OpenTile[] = [];
  #rows: TileRow[] = [];

  /**
   * Starts a tile level's open tile from its stored prefix (the partial tile of the current size).
   * `hashes` holds `count` hashes of tile `index`.
   */
  restore(level: number, index: number, hashes: Buffer): void {
    const tile = this.#tile(level, index);
    hashes.copy(tile.hashes, 0, 0, hashes.length);
    tile.count = hashes.length / HASH_BYTES;
  }

  /**
   * Records a newly complete subtree hash at tree level `treeLevel` and position `index`; only
   * tree levels that are multiples of 8 are stored in tiles (c2sp.org/tlog-tiles).
   */
  add(treeLevel: number, index: number, hash: Buffer): void {
    if (treeLevel % TILE_HEIGHT !== 0) return;
    const level = treeLevel / TILE_HEIGHT;
    const tileIndex = Math.floor(index / TILE_WIDTH);
    const position = index - tileIndex * TILE_WIDTH;
    const tile = this.#tile(level, tileIndex);
    if (position !== tile.count) {
      throw new Error(
        `tile ${level}/${tileIndex}: hash ${position} added after ${tile.count} (out of order)`,
      );
    }
    hash.copy(tile.hashes, position * HASH_BYTES);
    tile.count += 1;
    tile.dirty = true;
    if (tile.count === TILE_WIDTH) {
      this.#rows.push({ level, index: tileIndex, hashes: Buffer.from(tile.hashes) });
      tile.index += 1;
      tile.count = 0;
      tile.dirty = false;
    }
  }

  /** The rows changed since the last call: completed tiles, then the open tiles' new prefixes. */
  take(): TileRow[] {
    const rows = this.#rows;
    this.#open.forEach((tile, level) => {
      if (tile.dirty && tile.count > 0) {
        rows.push({
          level,
          index: tile.index,
          hashes: Buffer.from(tile.hashes.subarray(0, tile.count * HASH_BYTES)),
        });
      }
      tile.dirty = false;
    });
    this.#rows = [];
    return rows;
  }

  #tile(level: number, index: number): OpenTile {
    let tile = this.#open[level];
    if (tile === undefined) {
      for (let l = this.#open.length; l <= level; l++) {
        this.#open.push({
          index: 0,
          count: 0,
          hashes: Buffer.alloc(TILE_WIDTH * HASH_BYTES),
          dirty: false,
        });
      }
      tile = this.#open[level];
      if (tile === undefined) throw new Error('unreachable');
    }
    if (tile.count === 0) tile.index = index;
    return tile;
  }
}
