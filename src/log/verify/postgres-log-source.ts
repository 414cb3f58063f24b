/**
 * A log in a PostgreSQL database as a {@link LogSource}: the server's start-up and background
 * audits, and `nospy log verify` of a `postgres://` store. Everything is read in one REPEATABLE
 * READ, READ ONLY transaction on one connection, so the checkpoint, tiles and entries are one
 * snapshot while the sequencer keeps committing. As with the SQLite source, the rows are checked
 * against the signed checkpoint by the verifier; this adapter adds what only the storage can
 * show: a deleted entry row, and rows that no signed checkpoint covers.
 */
import pg from 'pg';
import { HASH_SIZE } from '../../tlog/hash.js';
import { tilePath, tilesForSize, TILE_WIDTH } from '../../tlog/tiles.js';
import { BIGINT_AS_NUMBER, postgresError } from '../../store/postgres/pool.js';
import { redactStoreUrl } from '../../store/store-url.js';
import { LogError } from '../errors.js';
import { UnverifiedLogError, type LogSource } from './log-source.js';
import { checkCheckpointRow, type CheckpointRow } from './checkpoint-row.js';

/** Entries fetched per query: a few bundles, so a query's overhead is spread over many rows. */
const READ_AHEAD_ENTRIES = 16 * TILE_WIDTH;

interface ReadAhead {
  readonly start: number;
  readonly rows: readonly { idx: number; data: Buffer }[];
}

export class PostgresLogSource implements LogSource {
  readonly description: string;
  readonly parallelism = 1;
  readonly #client: pg.Client;
  #ahead: ReadAhead | undefined;
  #closed = false;

  private constructor(client: pg.Client, description: string) {
    this.#client = client;
    this.description = description;
  }

  /** Connects to `url` and opens the snapshot; LOG_UNREACHABLE when the database has no log. */
  static async open(url: string): Promise<PostgresLogSource> {
    const shown = redactStoreUrl(url);
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 10_000,
      types: BIGINT_AS_NUMBER,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw postgresError(`connect to ${shown}`, error, shown);
    }
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ present: boolean }>(
        "SELECT to_regclass('log_checkpoint') IS NOT NULL AS present",
      );
      if (rows[0]?.present !== true) {
        throw new LogError('LOG_UNREACHABLE', `the database ${shown} holds no log`, {
          where: shown,
        });
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error instanceof LogError ? error : postgresError(`read ${shown}`, error, shown);
    }
    return new PostgresLogSource(client, `the PostgreSQL store ${shown}`);
  }

  async readCheckpoint(): Promise<string> {
    const { rows } = await this.#query<CheckpointRow>(
      'SELECT size, root_hash, note, cosigned_note FROM log_checkpoint WHERE id = 1',
    );
    const row = rows[0];
    if (row === undefined) {
      throw new UnverifiedLogError(
        { part: 'checkpoint' },
        `${this.description}: the database holds no checkpoint`,
      );
    }
    const note = row.cosigned_note ?? row.note;
    checkCheckpointRow(this.description, row, note);
    return note;
  }

  async readTile(level: number, index: number, width: number): Promise<Buffer | undefined> {
    const { rows } = await this.#query<{ hashes: Buffer }>(
      'SELECT hashes FROM log_tiles WHERE level = $1 AND idx = $2',
      [level, index],
    );
    const row = rows[0]?.hashes;
    if (row === undefined || row.length < width * HASH_SIZE) return undefined;
    return row.subarray(0, width * HASH_SIZE);
  }

  async readEntries(index: number, width: number): Promise<readonly Buffer[]> {
    const start = index * TILE_WIDTH;
    let ahead = this.#ahead;
    if (
      ahead === undefined ||
      start < ahead.start ||
      start + width > ahead.start + READ_AHEAD_ENTRIES
    ) {
      const { rows } = await this.#query<{ idx: number; data: Buffer }>(
        'SELECT idx, data FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
        [start, start + READ_AHEAD_ENTRIES],
      );
      ahead = { start, rows };
      this.#ahead = ahead;
    }
    const out: Buffer[] = [];
    for (let i = 0; i < width; i += 1) {
      const row = ahead.rows[start - ahead.start + i];
      // Rows come in index order: the first one out of place is where a row is missing.
      if (row?.idx !== start + i) {
        throw new UnverifiedLogError(
          { part: 'entry', index: start + i },
          `${this.description}: entry ${start + i} is missing from log_entries (its row was deleted), though the signed checkpoint covers it`,
        );
      }
      out.push(row.data);
    }
    return out;
  }

  async checkNothingBeyond(size: number): Promise<void> {
    const { rows: bounds } = await this.#query<{ low: number | null; high: number | null }>(
      'SELECT min(idx) AS low, max(idx) AS high FROM log_entries',
    );
    const { low, high } = bounds[0] ?? { low: null, high: null };
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
    const { rows } = await this.#query<{ level: number; idx: number; bytes: number }>(
      'SELECT level, idx, length(hashes) AS bytes FROM log_tiles',
    );
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
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.query('COMMIT').catch(() => undefined);
    await this.#client.end().catch(() => undefined);
  }

  #stray(what: string, message: string): UnverifiedLogError {
    return new UnverifiedLogError({ part: 'stray', what }, `${this.description}: ${message}`);
  }

  async #query<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new LogError('LOG_UNREACHABLE', `${this.description} is closed`);
    try {
      return await this.#client.query<R>(sql, params);
    } catch (error) {
      throw new UnverifiedLogError(
        { part: 'storage', what: this.description },
        `${this.description} cannot be read: ${postgresError('read it', error).message}`,
        { cause: error },
      );
    }
  }
}
