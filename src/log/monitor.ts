import { openCheckpoint, type OpenedCheckpoint } from '../tlog/checkpoint.js';
import type { NoteVerifier } from '../tlog/note-key.js';
import { sameHash } from '../tlog/proof.js';
import {
  entriesPath,
  tileHashReader,
  tilePath,
  tilesForSize,
  type TileCoord,
} from '../tlog/tiles.js';
import { treeRoot } from '../tlog/tree.js';
import { auditEntryBundle, auditTiles, tileKey } from './audit.js';
import { LogError } from './errors.js';
import type { MonitorState } from './monitor-state.js';

/** Largest checkpoint read (a note with a few cosignatures is under a kilobyte). */
const MAX_CHECKPOINT_BYTES = 64 * 1024;
/** A full entry bundle: 256 entries of at most 65,535 bytes, each with a 2-byte length. */
const MAX_BUNDLE_BYTES = 256 * 65_537;

export interface MonitorOptions {
  /** The tiles prefix, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly logVerifier: NoteVerifier;
  readonly witnesses: readonly NoteVerifier[];
  readonly quorum: number;
  /** What this monitor saw last time, if anything. */
  readonly previous: MonitorState | undefined;
  /** Parallel requests. Default 16. */
  readonly concurrency?: number | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface MonitorReport {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly previousSize: number | undefined;
  readonly tiles: number;
  readonly entries: number;
  readonly cosignatures: number;
  readonly next: MonitorState;
}

/**
 * Audits a log from its tlog-tiles API: the checkpoint verifies under the log key and the witness
 * quorum; every tile and entry bundle is fetched; every entry hashes to its leaf; every tile hash
 * is the root of the tile below; the tiles give the signed root; and the root at the previously
 * seen size is the one seen then (append-only). Throws LOG_UNREACHABLE (exit 2) when the log
 * cannot be read, LOG_INCONSISTENT (exit 1) for anything that does not verify.
 */
export async function monitorLog(options: MonitorOptions): Promise<MonitorReport> {
  const base = options.url.replace(/\/+$/, '');
  const get = (path: string, limit: number): Promise<Buffer> =>
    fetchBounded(`${base}/${path}`, limit, options.timeoutMs ?? 30_000);

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
  const { size, rootHash, origin } = opened.checkpoint;
  const previous = options.previous;
  if (previous !== undefined && previous.size > size) {
    throw new LogError(
      'LOG_INCONSISTENT',
      `the log went back from size ${previous.size} (seen ${previous.seenAt}) to ${size}: a rollback or a split view`,
      { where: `${base}/checkpoint` },
    );
  }

  const coords = tilesForSize(size);
  const tiles = new Map<string, Buffer>();
  await pool(coords, options.concurrency ?? 16, async (coord) => {
    tiles.set(
      tileKey(coord.level, coord.index),
      await get(tilePath(coord.level, coord.index, coord.width), coord.width * 32),
    );
  });
  const tileCount = auditTiles(size, rootHash, tiles);

  const level0 = coords.filter((c) => c.level === 0);
  let entries = 0;
  await pool(level0, options.concurrency ?? 16, async (coord: TileCoord) => {
    const bundle = await get(entriesPath(coord.index, coord.width), MAX_BUNDLE_BYTES);
    const tile = tiles.get(tileKey(0, coord.index));
    if (tile === undefined) throw new Error('unreachable: level-0 tile audited above');
    entries += auditEntryBundle(coord, bundle, tile).length;
  });

  if (previous !== undefined && previous.size > 0) {
    // Append-only: the tree the log shows now must contain the tree it showed then.
    const read = tileHashReader(size, (level, index) => {
      const tile = tiles.get(tileKey(level, index));
      if (tile === undefined)
        throw new LogError('LOG_INCONSISTENT', `tile/${level}/${index} is missing`);
      return tile;
    });
    const oldRoot = treeRoot(previous.size, read);
    if (!sameHash(oldRoot, Buffer.from(previous.rootHash, 'base64'))) {
      throw new LogError(
        'LOG_INCONSISTENT',
        `the log at size ${size} is not an extension of the checkpoint of size ${previous.size} seen ${previous.seenAt}: its first ${previous.size} entries now hash to ${oldRoot.toString('base64')}, not ${previous.rootHash} — the log was rewritten or forked`,
        { where: `${base}/checkpoint` },
      );
    }
  }
  return {
    origin,
    size,
    rootHash: rootHash.toString('base64'),
    previousSize: previous?.size,
    tiles: tileCount,
    entries,
    cosignatures: opened.cosignatures.length,
    next: {
      origin,
      vkey: options.logVerifier.vkey,
      size,
      rootHash: rootHash.toString('base64'),
      checkpoint: note,
      seenAt: new Date().toISOString(),
    },
  };
}

async function fetchBounded(url: string, limit: number, timeoutMs: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new LogError('LOG_UNREACHABLE', `${url}: ${(error as Error).message}`, {
      where: url,
      cause: error,
    });
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    throw new LogError('LOG_UNREACHABLE', `${url} answered ${response.status}`, { where: url });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    // A log that signed a size must serve every tile of it.
    throw new LogError('LOG_INCONSISTENT', `${url} answered ${response.status}`, { where: url });
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel();
    throw new LogError(
      'LOG_INCONSISTENT',
      `${url} is ${declared} bytes, more than the ${limit} expected`,
      {
        where: url,
      },
    );
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > limit) {
    throw new LogError(
      'LOG_INCONSISTENT',
      `${url} is ${body.length} bytes, more than the ${limit} expected`,
      {
        where: url,
      },
    );
  }
  return body;
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure rejects. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
