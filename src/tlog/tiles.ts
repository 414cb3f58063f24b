/**
 * C2SP tlog-tiles (v0.1.0): the tree's stored hashes in tiles of height 8, and the entries in
 * matching bundles.
 *   tile/<L>/<N>[.p/<W>]        hashes at level 8L, tile N (256 hashes, or W < 256 if partial)
 *   tile/entries/<N>[.p/<W>]    the entries of level-0 tile N, each as uint16be length || bytes
 * <N> is written in 3-digit groups, all but the last prefixed "x": 1234067 → x001/x234/067.
 * A partial tile is never hashed upward: level L+1 holds only roots of full level-L tiles.
 */
import { TlogError } from './errors.js';
import { HASH_SIZE, nodeHash } from './hash.js';
import type { HashReader } from './tree.js';

export const TILE_HEIGHT = 8;
/** Hashes in a full tile (2^TILE_HEIGHT). */
export const TILE_WIDTH = 256;
/** Bytes in a full tile. */
export const FULL_TILE_BYTES = TILE_WIDTH * HASH_SIZE;
/** tlog-tiles entry bundles prefix each entry with a uint16 length. */
export const MAX_ENTRY_BYTES = 65_535;
/** Highest tile level accepted in a path: level 7 already covers 2^64 leaves. */
export const MAX_TILE_LEVEL = 63;

/** A hash tile's coordinates (level is the tile level, not the tree level) and width. */
export interface TileCoord {
  readonly level: number;
  readonly index: number;
  /** 1..256; 256 is a full tile. */
  readonly width: number;
}

export type ParsedTilePath =
  | ({ readonly kind: 'hash' } & TileCoord)
  | { readonly kind: 'entries'; readonly index: number; readonly width: number };

/** `1234067` → `x001/x234/067`; `5` → `005`. */
export function formatTileIndex(n: number): string {
  checkIndex(n, 'tile index');
  let digits = String(n);
  digits = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** `tile/<level>/<N>` or, for a partial tile, `tile/<level>/<N>.p/<width>`. */
export function tilePath(level: number, index: number, width: number = TILE_WIDTH): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw pathError(`tile level must be 0..${MAX_TILE_LEVEL}, not ${level}`, String(level));
  }
  return `tile/${level}/${formatTileIndex(index)}${widthSuffix(width)}`;
}

/** `tile/entries/<N>` or `tile/entries/<N>.p/<width>`. */
export function entriesPath(index: number, width: number = TILE_WIDTH): string {
  return `tile/entries/${formatTileIndex(index)}${widthSuffix(width)}`;
}

const LEVEL = /^(?:0|[1-9][0-9]?)$/;
const WIDTH = /^[1-9][0-9]{0,2}$/;
const GROUP = /^x[0-9]{3}$/;
const LAST_GROUP = /^[0-9]{3}$/;
/** "tile/entries/" + 6 groups of "x000/" + ".p/255" stays well under this. */
const MAX_PATH_LENGTH = 64;

/**
 * Parses a tile or entry-bundle path relative to the tiles prefix (`tile/…`). Only the canonical
 * form is accepted (no leading zero groups, no `.p/256`, no leading zeros): two spellings of one
 * tile would defeat caching and make tile names ambiguous.
 */
export function parseTilePath(path: string): ParsedTilePath {
  if (path.length > MAX_PATH_LENGTH)
    throw pathError('the path is too long', path.slice(0, MAX_PATH_LENGTH));
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3)
    throw pathError('a tile path is tile/<L>/<N>[.p/<W>]', path);
  const levelPart = parts[1] as string;
  let indexParts = parts.slice(2);
  let width = TILE_WIDTH;
  const last = indexParts[indexParts.length - 1] as string;
  const penultimate = indexParts[indexParts.length - 2];
  if (penultimate?.endsWith('.p') === true) {
    if (!WIDTH.test(last) || Number(last) >= TILE_WIDTH) {
      throw pathError(`a partial tile width is 1..255 without leading zeros, not "${last}"`, path);
    }
    width = Number(last);
    indexParts = [...indexParts.slice(0, -2), penultimate.slice(0, -2)];
  }
  const index = parseIndexGroups(indexParts, path);
  if (levelPart === 'entries') return { kind: 'entries', index, width };
  if (!LEVEL.test(levelPart) || Number(levelPart) > MAX_TILE_LEVEL) {
    throw pathError(
      `the tile level "${levelPart}" is not 0..${MAX_TILE_LEVEL} without leading zeros`,
      path,
    );
  }
  return { kind: 'hash', level: Number(levelPart), index, width };
}

function parseIndexGroups(groups: string[], path: string): number {
  if (groups.length === 0 || groups.length > 6)
    throw pathError('the tile index has 1 to 6 groups', path);
  let digits = '';
  groups.forEach((group, i) => {
    const ok = i === groups.length - 1 ? LAST_GROUP.test(group) : GROUP.test(group);
    if (!ok)
      throw pathError(`"${group}" is not a valid tile index group (x000 or, last, 000)`, path);
    digits += i === groups.length - 1 ? group : group.slice(1);
  });
  const index = Number(digits);
  if (!Number.isSafeInteger(index)) throw pathError('the tile index is above 2^53-1', path);
  if (formatTileIndex(index) !== groups.join('/')) {
    throw pathError('the tile index is not in canonical form (a leading x000 group)', path);
  }
  return index;
}

/** Width of tile `index` at tile level `level` in a tree of `size` leaves (0 if it does not exist). */
export function tileWidthAt(level: number, index: number, size: number): number {
  const hashesAtLevel = Math.floor(size / 2 ** (TILE_HEIGHT * level));
  return Math.max(0, Math.min(TILE_WIDTH, hashesAtLevel - index * TILE_WIDTH));
}

/**
 * Every tile that exists for a tree of `size` leaves: the full tiles of each level and the one
 * partial tile (if any), level 0 first. Entry bundles mirror the level-0 tiles.
 */
export function tilesForSize(size: number): TileCoord[] {
  return tilesAddedBetween(0, size);
}

/**
 * The tiles (with their new widths) that a log must write when it grows from `oldSize` to
 * `newSize`: every tile of the new tree that did not exist with that width in the old one.
 */
export function tilesAddedBetween(oldSize: number, newSize: number): TileCoord[] {
  checkIndex(oldSize, 'old tree size');
  checkIndex(newSize, 'new tree size');
  if (oldSize > newSize) {
    throw new TlogError(
      'TLOG_INDEX_OUT_OF_RANGE',
      `a tree does not shrink: old size ${oldSize} is above new size ${newSize}`,
    );
  }
  const out: TileCoord[] = [];
  for (let level = 0; ; level += 1) {
    const scale = 2 ** (TILE_HEIGHT * level);
    const newCount = Math.floor(newSize / scale);
    if (newCount === 0) break;
    const oldCount = Math.floor(oldSize / scale);
    if (newCount === oldCount) continue;
    const firstTile = Math.floor(oldCount / TILE_WIDTH);
    const lastTile = Math.floor((newCount - 1) / TILE_WIDTH);
    for (let index = firstTile; index <= lastTile; index += 1) {
      out.push({ level, index, width: Math.min(TILE_WIDTH, newCount - index * TILE_WIDTH) });
    }
  }
  return out;
}

/** The bytes of a tile: its hashes concatenated. */
export function tileFromHashes(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0 || hashes.length > TILE_WIDTH) {
    throw tileError(`a tile holds 1 to ${TILE_WIDTH} hashes, not ${hashes.length}`);
  }
  const tile = Buffer.alloc(hashes.length * HASH_SIZE);
  hashes.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE)
      throw tileError(`hash ${i} is ${hash.length} bytes, not ${HASH_SIZE}`);
    tile.set(hash, i * HASH_SIZE);
  });
  return tile;
}

/** The hashes of a tile of `width` hashes, checking its length. */
export function tileHashes(tile: Uint8Array, width: number): Buffer[] {
  checkTile(tile, width);
  const bytes = Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength);
  const out: Buffer[] = [];
  for (let i = 0; i < width; i += 1) out.push(bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}

/**
 * The root of a full tile's 256 hashes: the hash that the next tile level stores for it. Only full
 * tiles are ever hashed upward.
 */
export function hashTileContents(tile: Uint8Array): Buffer {
  checkTile(tile, TILE_WIDTH);
  return perfectRoot(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength), 0, TILE_WIDTH);
}

/** Concatenates entries as uint16be length || entry (tlog-tiles entry bundle). */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  if (entries.length > TILE_WIDTH)
    throw tileError(`a bundle holds at most ${TILE_WIDTH} entries, not ${entries.length}`);
  let total = 0;
  entries.forEach((entry, i) => {
    checkEntrySize(entry.length, `entry ${i}`);
    total += 2 + entry.length;
  });
  const bundle = Buffer.alloc(total);
  let at = 0;
  for (const entry of entries) {
    bundle.writeUInt16BE(entry.length, at);
    bundle.set(entry, at + 2);
    at += 2 + entry.length;
  }
  return bundle;
}

/** Splits an entry bundle that must hold exactly `count` entries (1..256) and nothing else. */
export function decodeEntryBundle(bundle: Uint8Array, count: number): Buffer[] {
  if (!Number.isInteger(count) || count < 1 || count > TILE_WIDTH) {
    throw tileError(`an entry bundle holds 1 to ${TILE_WIDTH} entries, not ${count}`);
  }
  if (bundle.length > TILE_WIDTH * (2 + MAX_ENTRY_BYTES))
    throw tileError(`the bundle is ${bundle.length} bytes, too large`);
  const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    if (at + 2 > bytes.length)
      throw tileError(`the bundle ends at byte ${at}, before entry ${i} of ${count}`);
    const length = bytes.readUInt16BE(at);
    if (at + 2 + length > bytes.length) {
      throw tileError(`entry ${i} at byte ${at} claims ${length} bytes but the bundle ends first`);
    }
    out.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (at !== bytes.length)
    throw tileError(`the bundle has ${bytes.length - at} bytes after its ${count} entries`);
  return out;
}

/** Throws TLOG_ENTRY_TOO_LARGE for an entry that does not fit an entry bundle. */
export function checkEntrySize(length: number, what = 'the entry'): void {
  if (length > MAX_ENTRY_BYTES) {
    throw new TlogError(
      'TLOG_ENTRY_TOO_LARGE',
      `${what} is ${length} bytes; tlog-tiles entries are at most ${MAX_ENTRY_BYTES} bytes`,
    );
  }
}

/**
 * A {@link HashReader} for a tree of `size` leaves that reads stored hashes from its tiles
 * (including partial tiles), fetching each tile once while it stays in a small cache. Levels that
 * fall inside a tile are recomputed from the tile's hashes. `fetchTile` returns the tile's bytes.
 * The reader does not authenticate tiles: check the root it yields against a signed checkpoint.
 */
export function tileHashReader(
  size: number,
  fetchTile: (level: number, index: number, width: number) => Uint8Array,
): HashReader {
  checkIndex(size, 'tree size');
  const cache = new Map<string, Buffer>();
  const getTile = (level: number, index: number, width: number): Buffer => {
    const key = `${level}/${index}`;
    let tile = cache.get(key);
    if (tile === undefined) {
      const fetched = fetchTile(level, index, width);
      checkTile(fetched, width, tilePath(level, index, width));
      tile = Buffer.from(fetched.buffer, fetched.byteOffset, fetched.byteLength);
      if (cache.size >= 64) cache.clear();
      cache.set(key, tile);
    }
    return tile;
  };
  return (level, index) => {
    const span = 2 ** level;
    if (!Number.isSafeInteger(index) || index < 0 || (index + 1) * span > size) {
      throw new TlogError(
        'TLOG_INDEX_OUT_OF_RANGE',
        `no complete subtree at level ${level}, index ${index} in a tree of size ${size}`,
      );
    }
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const within = 2 ** (level - tileLevel * TILE_HEIGHT);
    const first = index * within;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const start = first - tileIndex * TILE_WIDTH;
    const tile = getTile(tileLevel, tileIndex, tileWidthAt(tileLevel, tileIndex, size));
    if (within === 1) return tile.subarray(start * HASH_SIZE, (start + 1) * HASH_SIZE);
    return perfectRoot(tile, start, within);
  };
}

/** Root of the perfect subtree over `count` (a power of two) consecutive hashes of a tile. */
function perfectRoot(tile: Buffer, start: number, count: number): Buffer {
  const level: Buffer[] = [];
  for (let i = 0; i < count; i += 2) {
    const at = (start + i) * HASH_SIZE;
    level.push(
      nodeHash(
        tile.subarray(at, at + HASH_SIZE),
        tile.subarray(at + HASH_SIZE, at + 2 * HASH_SIZE),
      ),
    );
  }
  for (let n = level.length; n > 1; n /= 2) {
    for (let i = 0; i < n; i += 2)
      level[i / 2] = nodeHash(level[i] as Buffer, level[i + 1] as Buffer);
  }
  return level[0] as Buffer;
}

function checkTile(tile: Uint8Array, width: number, where?: string): void {
  if (tile.length !== width * HASH_SIZE) {
    throw new TlogError(
      'TLOG_TILE_INVALID',
      `tile ${where ?? ''} is ${tile.length} bytes; a tile of ${width} hashes is ${width * HASH_SIZE}`.replace(
        '  ',
        ' ',
      ),
      where === undefined ? undefined : { where },
    );
  }
}

function widthSuffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw pathError(`a tile width is 1..${TILE_WIDTH}, not ${width}`, String(width));
  }
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

function checkIndex(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TlogError(
      'TLOG_INDEX_OUT_OF_RANGE',
      `${what} must be an integer from 0 to 2^53-1, not ${n}`,
    );
  }
}

function pathError(message: string, path: string): TlogError {
  return new TlogError('TLOG_TILE_PATH_INVALID', `invalid tile path "${path}": ${message}`, {
    where: path,
  });
}

function tileError(message: string): TlogError {
  return new TlogError('TLOG_TILE_INVALID', message);
}
