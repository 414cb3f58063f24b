/**
 * The port every log verifier reads through: a log's signed checkpoint, its hash tiles and its
 * entries (c2sp.org/tlog-tiles), wherever they are kept — a data directory's SQLite database, a
 * static copy of the tiles, or a server's URL. Nothing a source returns is trusted: the verifier
 * (`verify-log.ts`) checks every byte against the checkpoint and the checkpoint against the keys
 * it is handed.
 */
import { LogError } from '../errors.js';

export interface LogSource {
  /** What was opened, for messages: "the log data directory /var/lib/nospy". */
  readonly description: string;
  /** Reads worth having in flight at once (a server: several; a local file: one). */
  readonly parallelism: number;
  /** The signed (possibly cosigned) checkpoint note the source holds as its latest. */
  readCheckpoint(): Promise<string>;
  /**
   * The first `width` hashes of the hash tile (level, index): exactly `width` × 32 bytes, taken
   * from a wider copy of the tile when the source holds one; undefined when it holds fewer.
   */
  readTile(level: number, index: number, width: number): Promise<Buffer | undefined>;
  /**
   * The first `width` entries of entry bundle `index` (log indexes index × 256 onwards), in order.
   * Throws {@link UnverifiedLogError} naming the entry or bundle that is missing or malformed.
   */
  readEntries(index: number, width: number): Promise<readonly Buffer[]>;
  /**
   * For a source that is the log's own storage: throws {@link UnverifiedLogError} when it holds
   * anything outside the tree of `size` leaves (a row no signed checkpoint covers). Static copies
   * and servers, which may hold a later tree, do not implement it.
   */
  checkNothingBeyond?(size: number): Promise<void>;
  close(): Promise<void>;
}

/** The part of a log that failed verification. */
export type FailedPart =
  | { readonly part: 'checkpoint' }
  | { readonly part: 'entry'; readonly index: number }
  | { readonly part: 'tile'; readonly path: string }
  | { readonly part: 'root' }
  | { readonly part: 'stray'; readonly what: string }
  | { readonly part: 'storage'; readonly what: string };

/**
 * A log that does not verify: LOG_UNVERIFIED with what failed (an entry by its index, a tile by
 * its path, the checkpoint, or the root) as data, so a server can report it and a test can check it.
 */
export class UnverifiedLogError extends LogError {
  readonly failed: FailedPart;

  constructor(failed: FailedPart, message: string, options?: { cause?: unknown }) {
    super('LOG_UNVERIFIED', message, {
      where: whereOf(failed),
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.failed = failed;
  }
}

/** Where a failed part is, in words: `entry 14`, `tile/0/000`, `checkpoint`. */
export function whereOf(failed: FailedPart): string {
  switch (failed.part) {
    case 'entry':
      return `entry ${failed.index}`;
    case 'tile':
      return failed.path;
    case 'stray':
    case 'storage':
      return failed.what;
    case 'checkpoint':
    case 'root':
      return failed.part;
  }
}
