/**
 * The one log verifier. Whatever the source (a data directory, a static copy of the tiles, a
 * server's URL), it checks the whole chain from the keys it is handed down to every byte:
 *
 *   1. the checkpoint is signed by the log key (key name = origin) and cosigned by at least the
 *      quorum of the given witnesses (c2sp.org/tlog-checkpoint, c2sp.org/tlog-cosignature);
 *   2. every hash tile above level 0 hashes, tile by full tile, to its hash in the level above,
 *      and the tiles give the checkpoint's root (c2sp.org/tlog-tiles; RFC 9162 §2.1.1);
 *   3. every full level-0 tile hashes to its hash in level 1 (the partial one is in the root);
 *   4. every entry hashes (SHA-256(0x00 ‖ entry)) to its leaf in that verified tile.
 *
 * Upper tiles and the root come first, so each level-0 tile is authenticated before its entries
 * are compared with it: a failure names the entry that was changed, or the tile. Entries are
 * handed to `onEntries` as they are verified, so a caller reads the log once; nothing is
 * verified until the function returns, so a caller builds nothing final before that.
 */
import { openCheckpoint, type OpenedCheckpoint } from '../../tlog/checkpoint.js';
import { EMPTY_ROOT, HASH_SIZE, leafHashLatin1 } from '../../tlog/hash.js';
import type { NoteVerifier } from '../../tlog/note-key.js';
import { sameHash } from '../../tlog/proof.js';
import {
  hashTileContents,
  tileHashReader,
  tilePath,
  tilesForSize,
  tileWidthAt,
  TILE_WIDTH,
  type TileCoord,
} from '../../tlog/tiles.js';
import { treeRoot, type HashReader } from '../../tlog/tree.js';
import { UnverifiedLogError, type LogSource } from './log-source.js';

/** What a log is verified against: the trust file's log key, witnesses and quorum. */
export interface LogTrust {
  readonly logKey: NoteVerifier;
  readonly witnesses: readonly NoteVerifier[];
  readonly quorum: number;
}

/** Verified tiles by `<level>/<index>`, each exactly its width at the verified size. */
export type TileSet = ReadonlyMap<string, Buffer>;

export function tileKey(level: number, index: number): string {
  return `${level}/${index}`;
}

export interface VerifyLogOptions {
  /**
   * Verify the tree of this signed checkpoint rather than the one the source holds as its
   * latest: the source may hold a later tree (its tiles are read to this size).
   */
  readonly checkpoint?: string | undefined;
  /**
   * An earlier complete audit of this log up to `size` with root `rootHash` (a server's signed
   * watermark): entries and level-0 tiles below it are not read again; the current tiles must
   * still give that root at that size.
   */
  readonly audited?: { readonly size: number; readonly rootHash: Buffer } | undefined;
  /** Keep every tile (level 0 included), e.g. to prove entries afterwards without reading again. */
  readonly keepTiles?: boolean | undefined;
  /** Handed the entries of each bundle once they are checked against their verified tile. */
  readonly onEntries?: ((start: number, entries: readonly Buffer[]) => void) | undefined;
  /** Entries checked so far out of those to check. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /** Stops the audit (it rejects with the signal's reason). */
  readonly signal?: AbortSignal | undefined;
}

export interface VerifiedLog {
  /** The checkpoint note verified (cosignatures included). */
  readonly note: string;
  readonly opened: OpenedCheckpoint;
  readonly size: number;
  readonly rootHash: Buffer;
  /** Every tile of the tree (level 0 only with `keepTiles`; upper levels always). */
  readonly tiles: TileSet;
  /** Tiles checked. */
  readonly tileCount: number;
  /** The first entry read (0, or the size of the earlier audit). */
  readonly from: number;
  /** Entries read and checked. */
  readonly entryCount: number;
}

/** Yield to the event loop this often, so that a server keeps answering during a long audit. */
const YIELD_EVERY_MS = 20;

/**
 * Verifies the log in `source` against `trust`. Throws {@link UnverifiedLogError}
 * (LOG_UNVERIFIED) naming the checkpoint, tile or entry that does not verify; the source's own
 * errors (LOG_UNREACHABLE, a store failure) pass through.
 */
export async function verifyLog(
  source: LogSource,
  trust: LogTrust,
  options: VerifyLogOptions = {},
): Promise<VerifiedLog> {
  const note = options.checkpoint ?? (await source.readCheckpoint());
  const opened = openTrusted(source, note, trust);
  const { size, rootHash } = opened.checkpoint;
  if (size === 0) {
    if (!sameHash(rootHash, EMPTY_ROOT)) {
      throw new UnverifiedLogError(
        { part: 'root' },
        `${source.description}: the checkpoint of size 0 has a root other than SHA-256("")`,
      );
    }
    if (options.checkpoint === undefined) await source.checkNothingBeyond?.(0);
    return { note, opened, size, rootHash, tiles: new Map(), tileCount: 0, from: 0, entryCount: 0 };
  }
  const audited = options.audited;
  if (audited !== undefined && (audited.size > size || !Number.isSafeInteger(audited.size))) {
    throw new UnverifiedLogError(
      { part: 'root' },
      `${source.description}: the checkpoint's size ${size} is below the size ${audited.size} audited before: the log went back`,
    );
  }

  const coords = tilesForSize(size);
  const tiles = new Map<string, Buffer>();
  // Upper levels: about one hash per 256 leaves, read whole.
  const upper = coords.filter((c) => c.level > 0);
  await readAll(source, upper, tiles, options.signal);
  for (const coord of upper) checkAgainstParent(source, coord, tiles, size);
  // The partial level-0 tile, if any, feeds the root directly.
  const level0 = coords.filter((c) => c.level === 0);
  const last = level0[level0.length - 1];
  if (last !== undefined && last.width < TILE_WIDTH) {
    await readAll(source, [last], tiles, options.signal);
  }
  const root = rootFrom(source, size, tiles);
  if (!sameHash(root, rootHash)) {
    throw new UnverifiedLogError(
      { part: 'root' },
      `${source.description}: the tiles give the root ${root.toString('base64')} for size ${size}, but the checkpoint says ${rootHash.toString('base64')}: a tile at the tree's right edge was changed${upper.length > 0 ? ' (or a hash in the upper levels)' : ''}`,
    );
  }

  const from = audited?.size ?? 0;
  const first = Math.floor(from / TILE_WIDTH);
  const toRead = level0.filter((c) => c.index >= first);
  const total = size - first * TILE_WIDTH;
  let done = 0;
  let lastYield = performance.now();
  await inOrder(
    source,
    toRead,
    async (coord) =>
      [
        await source.readTile(0, coord.index, coord.width),
        await source.readEntries(coord.index, coord.width),
      ] as const,
    (coord, [tile, entries]) => {
      const checked = checkLevel0(source, coord, tile, tiles, size);
      checkEntries(source, coord, checked, entries);
      if (options.keepTiles === true || coord.width < TILE_WIDTH || coord.index === first) {
        tiles.set(tileKey(0, coord.index), checked);
      }
      options.onEntries?.(coord.index * TILE_WIDTH, entries);
      done += coord.width;
      options.onProgress?.(done, total);
    },
    async () => {
      if (performance.now() - lastYield < YIELD_EVERY_MS) return;
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
      options.signal?.throwIfAborted();
    },
    options.signal,
  );

  if (audited !== undefined && audited.size > 0) {
    const before = rootFrom(source, audited.size, tiles);
    if (!sameHash(before, audited.rootHash)) {
      throw new UnverifiedLogError(
        { part: 'root' },
        `${source.description}: the tiles give the root ${before.toString('base64')} for size ${audited.size}, not the ${audited.rootHash.toString('base64')} audited before: the tree below that size was changed`,
      );
    }
  }
  if (options.checkpoint === undefined) await source.checkNothingBeyond?.(size);
  if (options.keepTiles !== true) {
    for (const coord of level0)
      if (coord.width === TILE_WIDTH) tiles.delete(tileKey(0, coord.index));
  }
  return {
    note,
    opened,
    size,
    rootHash,
    tiles,
    tileCount: upper.length + toRead.length,
    from: first * TILE_WIDTH,
    entryCount: total,
  };
}

/** A hash reader over verified tiles for the tree of `size` leaves (a prefix of `tiles`' tree). */
export function verifiedHashReader(size: number, tiles: TileSet): HashReader {
  return tileHashReader(size, (level, index, width) => {
    const tile = tiles.get(tileKey(level, index));
    if (tile === undefined || tile.length < width * HASH_SIZE) {
      throw new Error(`tile/${level}/${index} is not among the verified tiles`);
    }
    return tile.subarray(0, width * HASH_SIZE);
  });
}

function openTrusted(source: LogSource, note: string, trust: LogTrust): OpenedCheckpoint {
  try {
    return openCheckpoint(note, trust.logKey, { witnesses: trust.witnesses, quorum: trust.quorum });
  } catch (error) {
    throw new UnverifiedLogError(
      { part: 'checkpoint' },
      `${source.description}: the checkpoint does not verify against the trust file: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The tree root at `size` from the tiles in `tiles` (upper levels and the partial tiles). */
function rootFrom(source: LogSource, size: number, tiles: TileSet): Buffer {
  try {
    return treeRoot(size, verifiedHashReader(size, tiles));
  } catch (error) {
    throw new UnverifiedLogError(
      { part: 'root' },
      `${source.description}: the tiles cannot give the root of size ${size}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** A full tile at level L ≥ 1 must hash to its hash at level L + 1; a partial one is in the root. */
function checkAgainstParent(
  source: LogSource,
  coord: TileCoord,
  tiles: TileSet,
  size: number,
): void {
  if (coord.width < TILE_WIDTH) return;
  const tile = tiles.get(tileKey(coord.level, coord.index)) as Buffer;
  const parentIndex = Math.floor(coord.index / TILE_WIDTH);
  const parent = tiles.get(tileKey(coord.level + 1, parentIndex));
  const at = (coord.index % TILE_WIDTH) * HASH_SIZE;
  const parentPath = tilePath(
    coord.level + 1,
    parentIndex,
    tileWidthAt(coord.level + 1, parentIndex, size),
  );
  if (parent === undefined) throw new Error(`unreachable: ${parentPath} was read`);
  if (!sameHash(hashTileContents(tile), parent.subarray(at, at + HASH_SIZE))) {
    throw new UnverifiedLogError(
      { part: 'tile', path: tilePath(coord.level, coord.index) },
      `${source.description}: tile ${tilePath(coord.level, coord.index)} does not hash to hash ${coord.index % TILE_WIDTH} of ${parentPath}: one of the two tiles was changed`,
    );
  }
}

function checkLevel0(
  source: LogSource,
  coord: TileCoord,
  tile: Buffer | undefined,
  tiles: TileSet,
  size: number,
): Buffer {
  const path = tilePath(0, coord.index, coord.width);
  if (tile === undefined) throw missingTile(source, path);
  if (coord.width < TILE_WIDTH) {
    // Read before the root was checked: it must be the same bytes.
    const verified = tiles.get(tileKey(0, coord.index));
    if (verified === undefined || !sameHash(verified, tile)) {
      throw new UnverifiedLogError(
        { part: 'tile', path },
        `${source.description}: ${path} changed while it was being verified`,
      );
    }
    return tile;
  }
  const parentIndex = Math.floor(coord.index / TILE_WIDTH);
  const parent = tiles.get(tileKey(1, parentIndex));
  const at = (coord.index % TILE_WIDTH) * HASH_SIZE;
  if (parent === undefined) throw new Error(`unreachable: tile/1/${parentIndex} was read`);
  if (!sameHash(hashTileContents(tile), parent.subarray(at, at + HASH_SIZE))) {
    const parentPath = tilePath(1, parentIndex, tileWidthAt(1, parentIndex, size));
    throw new UnverifiedLogError(
      { part: 'tile', path },
      `${source.description}: tile ${path} does not hash to hash ${coord.index % TILE_WIDTH} of ${parentPath}: the level-0 tile (the leaf hashes of entries ${coord.index * TILE_WIDTH}–${coord.index * TILE_WIDTH + TILE_WIDTH - 1}) was changed`,
    );
  }
  return tile;
}

function checkEntries(
  source: LogSource,
  coord: TileCoord,
  tile: Buffer,
  entries: readonly Buffer[],
): void {
  const start = coord.index * TILE_WIDTH;
  if (entries.length !== coord.width) {
    throw new UnverifiedLogError(
      { part: 'entry', index: start + Math.min(entries.length, coord.width) },
      `${source.description}: the entry bundle ${coord.index} holds ${entries.length} entries where the tree has ${coord.width}`,
    );
  }
  // Leaf hashes of public entries hide nothing, so an ordinary comparison will do: the tile as
  // one latin1 string, each leaf hash as another, and no Buffer made per entry.
  const leaves = tile.toString('latin1');
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i] as Buffer;
    if (!leaves.startsWith(leafHashLatin1(entry), i * HASH_SIZE)) {
      throw new UnverifiedLogError(
        { part: 'entry', index: start + i },
        `${source.description}: entry ${start + i} does not hash to its leaf in ${tilePath(0, coord.index, coord.width)}: it is not the entry the signed checkpoint commits to (it was changed or replaced)`,
      );
    }
  }
}

function missingTile(source: LogSource, path: string): UnverifiedLogError {
  return new UnverifiedLogError(
    { part: 'tile', path },
    `${source.description}: ${path} is missing, or shorter than the signed tree needs`,
  );
}

/** Reads `coords` into `tiles`, a few at a time; a missing tile fails the verification. */
async function readAll(
  source: LogSource,
  coords: readonly TileCoord[],
  tiles: Map<string, Buffer>,
  signal: AbortSignal | undefined,
): Promise<void> {
  await inOrder(
    source,
    coords,
    (coord) => source.readTile(coord.level, coord.index, coord.width),
    (coord, tile) => {
      if (tile === undefined)
        throw missingTile(source, tilePath(coord.level, coord.index, coord.width));
      tiles.set(tileKey(coord.level, coord.index), tile);
    },
    () => Promise.resolve(),
    signal,
  );
}

/**
 * Runs `read` over `items` with up to the source's parallelism in flight and hands each result
 * to `use` in order. A failed read that is never reached is still observed (no unhandled
 * rejection); the first failure in order ends the run.
 */
async function inOrder<T, R>(
  source: LogSource,
  items: readonly T[],
  read: (item: T) => Promise<R>,
  use: (item: T, result: R) => void,
  between: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const window = Math.max(1, source.parallelism);
  const pending: Promise<R>[] = [];
  let next = 0;
  const launch = (): void => {
    while (pending.length < window && next < items.length) {
      const promise = read(items[next] as T);
      promise.catch(() => undefined);
      pending.push(promise);
      next += 1;
    }
  };
  for (let i = 0; i < items.length; i += 1) {
    signal?.throwIfAborted();
    launch();
    const result = await (pending.shift() as Promise<R>);
    use(items[i] as T, result);
    await between();
  }
}
