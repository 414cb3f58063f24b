/**
 * A copy of a log in the c2sp.org/tlog-tiles layout (`checkpoint`, `tile/<L>/<N>[.p/<W>]`,
 * `tile/entries/<N>[.p/<W>]`), wherever its files come from: a directory (`tiles-dir-source.ts`)
 * or a server (`url-log-source.ts`). A copy taken at a later size holds the full tile where the
 * verified size ends inside it, an older one only the partial tile: both serve (tlog-tiles lets
 * clients fall back to the full tile, whose first hashes are the partial tile's), and so does a
 * copy that holds only the partial tile of its own later size (found from its checkpoint, which
 * is only a hint for the path: the bytes are verified like any others).
 */
import { parseCheckpoint } from '../../tlog/checkpoint.js';
import { decodeNote, parseNote } from '../../tlog/note.js';
import {
  decodeEntryBundle,
  entriesPath,
  MAX_ENTRY_BYTES,
  tilePath,
  tileWidthAt,
  TILE_WIDTH,
} from '../../tlog/tiles.js';
import { HASH_SIZE } from '../../tlog/hash.js';
import { UnverifiedLogError, type FailedPart, type LogSource } from './log-source.js';

/** Largest checkpoint read (a note with a few cosignatures is under a kilobyte). */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;
/** A full entry bundle: 256 entries of at most 65,535 bytes, each with a 2-byte length. */
export const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + MAX_ENTRY_BYTES);

/**
 * Reads the file at `path` (relative to the copy's root), at most `limit` bytes; undefined when
 * the copy does not hold it. Throws `failed`-naming errors for a file over the limit.
 */
export type TileFileReader = (
  path: string,
  limit: number,
  failed: FailedPart,
) => Promise<Buffer | undefined>;

export class TilesLogSource implements LogSource {
  /** The size of the copy's own checkpoint, if it has a readable one (a hint for paths only). */
  #ownSize: Promise<number | undefined> | undefined;

  constructor(
    readonly description: string,
    readonly parallelism: number,
    private readonly read: TileFileReader,
  ) {}

  async readCheckpoint(): Promise<string> {
    const bytes = await this.read('checkpoint', MAX_CHECKPOINT_BYTES, { part: 'checkpoint' });
    if (bytes === undefined) {
      throw new UnverifiedLogError(
        { part: 'checkpoint' },
        `${this.description}: there is no checkpoint`,
      );
    }
    try {
      return decodeNote(bytes);
    } catch (error) {
      throw new UnverifiedLogError(
        { part: 'checkpoint' },
        `${this.description}: the checkpoint is not a note: ${(error as Error).message}`,
      );
    }
  }

  async readTile(level: number, index: number, width: number): Promise<Buffer | undefined> {
    for (const wider of await this.#widths(level, index, width)) {
      const tile = await this.#file(tilePath(level, index, wider), wider * HASH_SIZE);
      if (tile !== undefined) return tile.subarray(0, width * HASH_SIZE);
    }
    return undefined;
  }

  async readEntries(index: number, width: number): Promise<readonly Buffer[]> {
    for (const wider of await this.#widths(0, index, width)) {
      const path = entriesPath(index, wider);
      const bundle = await this.read(path, MAX_BUNDLE_BYTES, { part: 'tile', path });
      if (bundle !== undefined) return this.#decode(bundle, wider, path, index).slice(0, width);
    }
    throw new UnverifiedLogError(
      { part: 'entry', index: index * TILE_WIDTH },
      `${this.description}: ${entriesPath(index, width)} is missing, though the signed checkpoint covers its entries`,
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The widths to look for, in order: the one asked for, the copy's own, the full tile. */
  async #widths(level: number, index: number, width: number): Promise<number[]> {
    if (width === TILE_WIDTH) return [width];
    this.#ownSize ??= this.readCheckpoint().then(
      (note) => parseCheckpoint(parseNote(note).text).size,
      () => undefined,
    );
    const own = await this.#ownSize;
    const at = own === undefined ? 0 : tileWidthAt(level, index, own);
    return [...new Set([width, ...(at > width ? [at] : []), TILE_WIDTH])];
  }

  /** A tile file must be exactly its width; anything else is not that tile. */
  async #file(path: string, bytes: number): Promise<Buffer | undefined> {
    const tile = await this.read(path, bytes, { part: 'tile', path });
    if (tile !== undefined && tile.length !== bytes) {
      throw new UnverifiedLogError(
        { part: 'tile', path },
        `${this.description}: ${path} is ${tile.length} bytes, not ${bytes}`,
      );
    }
    return tile;
  }

  #decode(bundle: Buffer, count: number, path: string, index: number): Buffer[] {
    try {
      return decodeEntryBundle(bundle, count);
    } catch (error) {
      throw new UnverifiedLogError(
        { part: 'entry', index: index * TILE_WIDTH },
        `${this.description}: ${path} is not a bundle of ${count} entries: ${(error as Error).message}`,
      );
    }
  }
}
