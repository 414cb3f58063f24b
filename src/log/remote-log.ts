/**
 * Reads a whole log from its c2sp.org/tlog-tiles API and verifies it: the checkpoint under the
 * log key and the witness quorum, every tile and entry bundle, every entry hashed to its leaf,
 * every tile hash the root of the tile below, and the tiles giving the signed root. What it
 * returns is bound to the signed checkpoint; nothing from the server is taken on trust.
 */
import { openCheckpoint, type OpenedCheckpoint } from '../tlog/checkpoint.js';
import type { NoteVerifier } from '../tlog/note-key.js';
import { entriesPath, TILE_WIDTH, tilePath, tilesForSize, type TileCoord } from '../tlog/tiles.js';
import { auditEntryBundle, auditTiles, tileKey, type TileSet } from './audit.js';
import { LogError } from './errors.js';
import { fetchBounded, pool } from './http-fetch.js';

/** Largest checkpoint read (a note with a few cosignatures is under a kilobyte). */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;
/** A full entry bundle: 256 entries of at most 65,535 bytes, each with a 2-byte length. */
export const MAX_BUNDLE_BYTES = 256 * 65_537;

export interface RemoteLogOptions {
  /** The tiles prefix, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly logVerifier: NoteVerifier;
  readonly witnesses: readonly NoteVerifier[];
  readonly quorum: number;
  /** Keep the entries (a check reads them); a monitor only audits them. Default false. */
  readonly keepEntries?: boolean | undefined;
  /** Parallel requests. Default 16. */
  readonly concurrency?: number | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface RemoteLog {
  /** The URL without trailing slashes. */
  readonly base: string;
  /** The checkpoint note exactly as served (with its cosignatures). */
  readonly note: string;
  readonly opened: OpenedCheckpoint;
  /** Every tile of the tree at the checkpoint's size, audited. */
  readonly tiles: TileSet;
  /** The number of tiles audited. */
  readonly tileCount: number;
  /** The number of entries audited. */
  readonly entryCount: number;
  /** The entries in log order, when `keepEntries` was set (else empty). */
  readonly entries: readonly Buffer[];
}

/**
 * Fetches and audits a log. Throws LOG_UNREACHABLE when it cannot be read, LOG_INCONSISTENT
 * when what it serves does not verify.
 */
export async function readRemoteLog(options: RemoteLogOptions): Promise<RemoteLog> {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const concurrency = options.concurrency ?? 16;
  const get = (path: string, limit: number): Promise<Buffer> =>
    fetchBounded(`${base}/${path}`, limit, timeoutMs);

  const note = (await get('checkpoint', MAX_CHECKPOINT_BYTES)).toString('utf8');
  let opened: OpenedCheckpoint;
  try {
    opened = openCheckpoint(note, options.logVerifier, {
      witnesses: options.witnesses,
      quorum: options.quorum,
    });
  } catch (error) {
    throw new LogError('LOG_INCONSISTENT', `${base}/checkpoint: ${(error as Error).message}`, {
      where: `${base}/checkpoint`,
      cause: error,
    });
  }
  const { size, rootHash } = opened.checkpoint;

  const coords = tilesForSize(size);
  const tiles = new Map<string, Buffer>();
  await pool(coords, concurrency, async (coord) => {
    tiles.set(
      tileKey(coord.level, coord.index),
      await get(tilePath(coord.level, coord.index, coord.width), coord.width * 32),
    );
  });
  const tileCount = auditTiles(size, rootHash, tiles);

  const entries: Buffer[] = [];
  let entryCount = 0;
  await pool(
    coords.filter((c) => c.level === 0),
    concurrency,
    async (coord: TileCoord) => {
      const bundle = await get(entriesPath(coord.index, coord.width), MAX_BUNDLE_BYTES);
      const tile = tiles.get(tileKey(0, coord.index));
      if (tile === undefined) throw new Error('unreachable: level-0 tile audited above');
      const audited = auditEntryBundle(coord, bundle, tile);
      entryCount += audited.length;
      if (options.keepEntries === true) {
        audited.forEach((entry, i) => (entries[coord.index * TILE_WIDTH + i] = entry));
      }
    },
  );
  return { base, note, opened, tiles, tileCount, entryCount, entries };
}
