/**
 * A log data directory (`<dir>/nospy.db`) as a {@link LogSource}, opened read-only: the verifier
 * never writes to the log it checks, and a server may be writing to it meanwhile. Everything is
 * read inside one read transaction, so the checkpoint, tiles and entries are one snapshot (SQLite
 * WAL) even while batches commit. The rows are as untrusted as a stranger's server: the
 * verifier checks them against the signed checkpoint; this adapter adds what only the storage
 * can show — a deleted entry row, and rows that no signed checkpoint covers.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HASH_SIZE } from '../../tlog/hash.js';
import { tilePath, tilesForSize, TILE_WIDTH } from '../../tlog/tiles.js';
import { LogError } from '../errors.js';
import { UnverifiedLogError, type LogSource } from './log-source.js';
import { checkCheckpointRow, type CheckpointRow } from './checkpoint-row.js';

/** Entries fetched per query: a few bundles, so a query's overhead is spread over many rows. */
const READ_AHEAD_ENTRIES = 16 * TILE_WIDTH;

/** The database file in a data directory (as src/store/sqlite writes it). */
export const LOG_DATABASE_FILE = 'nospy.db';

interface ReadAhead {
  readonly start: number;
  readonly rows: Buffer[];
  /** The first index from `start` with no row (`start` + rows when none is missing). */
  readonly missing: number;
}

/** True when `dir` holds a log database. */
export function isLogDataDirectory(dir: string): boolean {
  return existsSync(join(dir, LOG_DATABASE_FILE));
}

export class SqliteLogSource implements LogSource {
  readonly description: string;
  readonly parallelism = 1;
  readonly #file: string;
  readonly #db: Database.Database;
  readonly #tile;
  readonly #entries;
  readonly #indexes;
  /** Entries read ahead: the verifier reads bundle after bundle, one query serves many. */
  #ahead: ReadAhead | undefined;
  #closed = false;

  /** Opens `<dataDir>/nospy.db` read-only; LOG_UNREACHABLE when there is none. */
  constructor(dataDir: string) {
    this.#file = join(dataDir, LOG_DATABASE_FILE);
    this.description = `the log data directory ${dataDir}`;
    if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
      throw new LogError('LOG_UNREACHABLE', `the log data directory ${dataDir} does not exist`, {
        where: dataDir,
      });
    }
    if (!existsSync(this.#file)) {
      throw new LogError('LOG_UNREACHABLE', `${dataDir} holds no log (no ${LOG_DATABASE_FILE})`, {
        where: this.#file,
      });
    }
    try {
      this.#db = new Database(this.#file, { readonly: true, fileMustExist: true });
      this.#db.pragma('busy_timeout = 5000');
      this.#tile = this.#db
        .prepare<[number, number], Buffer>(
          'SELECT hashes FROM log_tiles WHERE level = ? AND idx = ?',
        )
        .pluck();
      this.#entries = this.#db
        .prepare<[number, number], Buffer>(
          'SELECT data FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx',
        )
        .pluck();
      this.#indexes = this.#db
        .prepare<[number, number], number>(
          'SELECT idx FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx',
        )
        .pluck();
      // One snapshot for the whole verification (ended by close()).
      this.#db.exec('BEGIN');
    } catch (error) {
      throw this.#corrupt(error);
    }
  }

  readCheckpoint(): Promise<string> {
    return this.#run(() => {
      const row = this.#db
        .prepare<[], CheckpointRow>(
          'SELECT size, root_hash, note, cosigned_note FROM log_checkpoint WHERE id = 1',
        )
        .get();
      if (row === undefined) {
        throw new UnverifiedLogError(
          { part: 'checkpoint' },
          `${this.description}: the database holds no checkpoint`,
        );
      }
      const note = row.cosigned_note ?? row.note;
      this.#checkRow(row, note);
      return note;
    });
  }

  readTile(level: number, index: number, width: number): Promise<Buffer | undefined> {
    return this.#run(() => {
      const row = this.#tile.get(level, index);
      if (row === undefined || row.length < width * HASH_SIZE) return undefined;
      return row.subarray(0, width * HASH_SIZE);
    });
  }

  readEntries(index: number, width: number): Promise<readonly Buffer[]> {
    return this.#run(() => {
      const start = index * TILE_WIDTH;
      let ahead = this.#ahead;
      if (
        ahead === undefined ||
        start < ahead.start ||
        start + width > ahead.start + READ_AHEAD_ENTRIES
      ) {
        ahead = this.#readAhead(start);
        this.#ahead = ahead;
      }
      // Every row before `missing` is present, so rows[i] is entry ahead.start + i up to there.
      if (ahead.missing < start + width) {
        throw new UnverifiedLogError(
          { part: 'entry', index: ahead.missing },
          `${this.description}: entry ${ahead.missing} is missing from log_entries (its row was deleted), though the signed checkpoint covers it`,
        );
      }
      return ahead.rows.slice(start - ahead.start, start - ahead.start + width);
    });
  }

  /**
   * Reads READ_AHEAD_ENTRIES rows from `start`. idx is the integer primary key, so a full count
   * means no row is missing; a short read is checked row by row (the end of the log, or a gap).
   */
  #readAhead(start: number): ReadAhead {
    const end = start + READ_AHEAD_ENTRIES;
    const rows = this.#entries.all(start, end);
    if (rows.length === READ_AHEAD_ENTRIES) return { start, rows, missing: end };
    let missing = start;
    for (const idx of this.#indexes.all(start, end)) {
      if (idx !== missing) break;
      missing += 1;
    }
    return { start, rows, missing };
  }

  checkNothingBeyond(size: number): Promise<void> {
    return this.#run(() => {
      // Two queries: SQLite answers a lone min() or max() of the key from the B-tree's edge,
      // but both in one query scan the table.
      const high =
        this.#db.prepare<[], number | null>('SELECT max(idx) FROM log_entries').pluck().get() ??
        null;
      const low =
        this.#db.prepare<[], number | null>('SELECT min(idx) FROM log_entries').pluck().get() ??
        null;
      if (high !== null && high >= size) {
        throw this.#stray(
          `entry ${high}`,
          `log_entries holds a row at index ${high}, beyond the signed size ${size}: no checkpoint covers it`,
        );
      }
      if (low !== null && low < 0) {
        throw this.#stray(`entry ${low}`, `log_entries holds a row at index ${low}`);
      }
      // Tiles are written with the checkpoint that covers them (one transaction), so every row is
      // one of the tree's tiles at exactly its width.
      const expected = new Map(tilesForSize(size).map((c) => [`${c.level}/${c.index}`, c.width]));
      const rows = this.#db
        .prepare<[], { level: number; idx: number; bytes: number }>(
          'SELECT level, idx, length(hashes) AS bytes FROM log_tiles',
        )
        .all();
      for (const row of rows) {
        const width = expected.get(`${row.level}/${row.idx}`);
        if (width === undefined) {
          throw this.#stray(
            `tile ${row.level}/${row.idx}`,
            `log_tiles holds tile ${row.level}/${row.idx}, which the tree of size ${size} does not have`,
          );
        }
        if (row.bytes !== width * HASH_SIZE) {
          throw this.#stray(
            tilePath(row.level, row.idx, width),
            `log_tiles holds ${row.bytes} bytes for ${tilePath(row.level, row.idx, width)}, which has ${width} hashes (${width * HASH_SIZE} bytes) at size ${size}`,
          );
        }
      }
    });
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#db.exec('COMMIT');
      } catch {
        // Ending a read transaction changes nothing; a damaged file was reported when read.
      } finally {
        this.#db.close();
      }
    }
    return Promise.resolve();
  }

  /** The row's size and root columns must be the signed note's: the note is what verifies. */
  #checkRow(row: CheckpointRow, note: string): void {
    checkCheckpointRow(this.description, row, note);
  }

  #stray(what: string, message: string): UnverifiedLogError {
    return new UnverifiedLogError({ part: 'stray', what }, `${this.description}: ${message}`);
  }

  #run<T>(work: () => T): Promise<T> {
    try {
      if (this.#closed) throw new Error('the source is closed');
      return Promise.resolve(work());
    } catch (error) {
      if (error instanceof LogError) return Promise.reject(error);
      return Promise.reject(this.#corrupt(error));
    }
  }

  /** SQLite cannot read the file (a damaged page, not a database): the log cannot be verified. */
  #corrupt(error: unknown): UnverifiedLogError {
    return new UnverifiedLogError(
      { part: 'storage', what: this.#file },
      `${this.description}: the database ${this.#file} cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
