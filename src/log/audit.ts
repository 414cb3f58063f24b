import { leafHash } from '../tlog/hash.js';
import { sameHash } from '../tlog/proof.js';
import {
  decodeEntryBundle,
  hashTileContents,
  tileHashReader,
  TILE_WIDTH,
  tilesForSize,
  type TileCoord,
} from '../tlog/tiles.js';
import { treeRoot } from '../tlog/tree.js';
import { HASH_SIZE } from '../tlog/hash.js';
import { LogError } from './errors.js';

/** Every tile of a tree, keyed `<level>/<index>`, each exactly its width × 32 bytes. */
export type TileSet = ReadonlyMap<string, Buffer>;

export function tileKey(level: number, index: number): string {
  return `${level}/${index}`;
}

/**
 * Checks a complete set of tiles for a tree of `size` leaves (c2sp.org/tlog-tiles): every hash of a
 * tile at level L ≥ 1 is the root of the full tile below it, and the tree root they give is the
 * checkpoint's `rootHash`. Together with {@link auditEntryBundle} for each level-0 tile this
 * binds every entry to the signed root. Returns the number of tiles checked. Throws
 * LOG_INCONSISTENT naming the first tile that disagrees.
 */
export function auditTiles(size: number, rootHash: Buffer, tiles: TileSet): number {
  const coords = tilesForSize(size);
  for (const coord of coords) {
    const tile = requireTile(tiles, coord);
    if (coord.level === 0) continue;
    for (let i = 0; i < coord.width; i += 1) {
      const below = coord.index * TILE_WIDTH + i;
      const child = requireTile(tiles, { level: coord.level - 1, index: below, width: TILE_WIDTH });
      const expected = hashTileContents(child);
      if (!sameHash(expected, tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE))) {
        throw inconsistent(
          `tile/${coord.level}/${coord.index} hash ${i} is not the root of tile/${coord.level - 1}/${below}`,
        );
      }
    }
  }
  const read = tileHashReader(size, (level, index) => {
    const tile = tiles.get(tileKey(level, index));
    if (tile === undefined) throw inconsistent(`tile/${level}/${index} is missing`);
    return tile;
  });
  const root = treeRoot(size, read);
  if (!sameHash(root, rootHash)) {
    throw inconsistent(
      `the tiles give the root ${root.toString('base64')} for size ${size}, but the checkpoint says ${rootHash.toString('base64')}`,
    );
  }
  return coords.length;
}

/**
 * Checks that the entry bundle of level-0 tile `coord` holds exactly `coord.width` entries whose
 * leaf hashes are that tile's hashes. Returns the entries.
 */
export function auditEntryBundle(coord: TileCoord, bundle: Buffer, tile: Buffer): Buffer[] {
  let entries: Buffer[];
  try {
    entries = decodeEntryBundle(bundle, coord.width);
  } catch (error) {
    throw inconsistent(`tile/entries/${coord.index}: ${(error as Error).message}`);
  }
  entries.forEach((entry, i) => {
    if (!sameHash(leafHash(entry), tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE))) {
      throw inconsistent(
        `entry ${coord.index * TILE_WIDTH + i} in tile/entries/${coord.index} does not hash to its leaf in tile/0/${coord.index}`,
      );
    }
  });
  return entries;
}

function requireTile(tiles: TileSet, coord: TileCoord): Buffer {
  const tile = tiles.get(tileKey(coord.level, coord.index));
  if (tile === undefined) throw inconsistent(`tile/${coord.level}/${coord.index} is missing`);
  if (tile.length !== coord.width * HASH_SIZE) {
    throw inconsistent(
      `tile/${coord.level}/${coord.index} is ${tile.length} bytes; ${coord.width} hashes are ${coord.width * HASH_SIZE}`,
    );
  }
  return tile;
}

function inconsistent(message: string): LogError {
  return new LogError('LOG_INCONSISTENT', message);
}
