/**
 * The log store on PostgreSQL: every replica of a log reads the same database, so the entries,
 * tiles, checkpoint and statement index are rows there. One sequencing batch is one transaction
 * (entries and tiles written with one multi-row statement each, from arrays, whatever the batch
 * size), committed with PostgreSQL's default synchronous_commit, so it is durable when
 * `integrate` resolves.
 */
import { StoreError } from '../errors.js';
import type {
  IntegrationBatch,
  LogIdentity,
  LogStorePort,
  StatementIndexRow,
  StatementQuery,
  StoredCheckpoint,
} from '../log-store-port.js';
import { LeafIndex } from '../../tlog/leaf-index.js';
import { HASH_SIZE } from '../../tlog/hash.js';
import { TILE_WIDTH } from '../../tlog/tiles.js';
import { indexLeafTiles, leafTileRange, tileHoldsLeaf } from '../leaf-tiles.js';
import type { PostgresClient, PostgresPool, PostgresPoolOptions } from './pool.js';
import { inTransaction, openMigratedPool, postgresCall } from './store-call.js';
import {
  STATEMENT_COLUMNS,
  statementQuerySql,
  toStatementRow,
  type StatementDbRow,
} from './statement-sql.js';

interface CheckpointRow {
  size: number;
  root_hash: Buffer;
  note: string;
  cosigned_note: string | null;
}

/**
 * One batch as one statement, so it costs one round trip and is its own transaction: the size
 * is read FOR UPDATE (a second writer waits, then sees the new size), and every write is
 * conditional on it being $1, the size the batch was built on (compare-and-swap). `written` is 0
 * when it was not. Two writers racing to create the checkpoint row both find none; the second
 * then fails on the primary key of log_entries (23505), which is reported as a conflict too.
 * A tile row only ever grows: hashes are immutable once written, so a shorter write is a bug.
 */
const INTEGRATE = `WITH current AS (
    SELECT size FROM log_checkpoint WHERE id = 1 FOR UPDATE
  ), ok AS (
    SELECT 1 WHERE coalesce((SELECT size FROM current), 0) = $1
  ), entries AS (
    INSERT INTO log_entries (idx, data)
    SELECT $1 + u.n - 1, substring($3::bytea FROM u.start + 1 FOR u.len)
    FROM unnest($2::integer[], $10::integer[]) WITH ORDINALITY AS u(start, len, n)
    WHERE EXISTS (SELECT 1 FROM ok)
  ), tiles AS (
    INSERT INTO log_tiles (level, idx, hashes)
    SELECT u.level, u.idx, u.hashes
    FROM unnest($4::integer[], $5::bigint[], $6::bytea[]) AS u(level, idx, hashes)
    WHERE EXISTS (SELECT 1 FROM ok)
    ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
    WHERE length(excluded.hashes) > length(log_tiles.hashes)
  ), checkpoint AS (
    INSERT INTO log_checkpoint (id, size, root_hash, note, cosigned_note)
    SELECT 1, $7, $8, $9, NULL WHERE EXISTS (SELECT 1 FROM ok)
    ON CONFLICT (id) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash,
      note = excluded.note, cosigned_note = NULL
    RETURNING 1
  ), times AS (
    INSERT INTO log_checkpoint_times (size, signed_at)
    SELECT u.size, u.at FROM unnest($11::bigint[], $12::bigint[]) AS u(size, at)
    WHERE EXISTS (SELECT 1 FROM ok)
    ON CONFLICT (size) DO NOTHING
  )
  SELECT (SELECT count(*) FROM checkpoint)::integer AS written,
    (SELECT size FROM current) AS stored`;

/**
 * A batch's entries as one bytea, sent in binary, and where each starts and how long it is: the
 * statement cuts them apart with substring. An array of bytea would travel as hex text that the
 * client encodes and the server parses, element by element, which cost half the write's time.
 */
function packEntries(entries: readonly Uint8Array[]): {
  entries: Buffer;
  starts: number[];
  lengths: number[];
} {
  const starts: number[] = [];
  const lengths: number[] = [];
  let at = 0;
  for (const entry of entries) {
    starts.push(at);
    lengths.push(entry.length);
    at += entry.length;
  }
  return { entries: Buffer.concat(entries, at), starts, lengths };
}

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';

export class PostgresLogStore implements LogStorePort {
  readonly #pool: PostgresPool;
  /** The last write in flight: batches are applied in the order `integrate` was called. */
  #writes: Promise<unknown> = Promise.resolve();
  /** Every durable leaf hash → its index; covers [0, #indexedSize). */
  #leaves: LeafIndex | undefined;
  #indexedSize = 0;
  #closed = false;

  private constructor(pool: PostgresPool) {
    this.#pool = pool;
  }

  /** Connects to `url`, applies the schema migrations, and returns the store. */
  static async open(url: string, options: PostgresPoolOptions = {}): Promise<PostgresLogStore> {
    return new PostgresLogStore(await openMigratedPool(url, options));
  }

  claimIdentity(identity: LogIdentity): Promise<LogIdentity> {
    return this.#run('claim the log identity', async () => {
      await this.#pool.query(
        'INSERT INTO log_identity (id, origin, vkey) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING',
        [identity.origin, identity.vkey],
      );
      const { rows } = await this.#pool.query<LogIdentity>(
        'SELECT origin, vkey FROM log_identity WHERE id = 1',
      );
      const stored = rows[0];
      if (stored === undefined) throw new Error('log_identity row missing after insert');
      return { origin: stored.origin, vkey: stored.vkey };
    });
  }

  latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.#run('read the checkpoint', async () => {
      const { rows } = await this.#pool.query<CheckpointRow>(
        'SELECT size, root_hash, note, cosigned_note FROM log_checkpoint WHERE id = 1',
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : {
            size: row.size,
            rootHash: row.root_hash,
            note: row.note,
            cosignedNote: row.cosigned_note ?? undefined,
          };
    });
  }

  readTile(level: number, index: number): Promise<Buffer | undefined> {
    return this.#run('read a tile', async () => {
      const { rows } = await this.#pool.query<{ hashes: Buffer }>(
        'SELECT hashes FROM log_tiles WHERE level = $1 AND idx = $2',
        [level, index],
      );
      return rows[0]?.hashes;
    });
  }

  readEntries(start: number, count: number): Promise<Buffer[]> {
    return this.#run('read entries', async () => {
      const { rows } = await this.#pool.query<{ data: Buffer }>(
        'SELECT data FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
        [start, start + count],
      );
      return rows.map((row) => row.data);
    });
  }

  findLeaves(leafHashes: readonly Buffer[]): Promise<Map<string, number>> {
    return this.#run('look up leaf hashes', async () => {
      const leaves = await this.#catchUpLeaves();
      // The in-memory index yields candidates by hash prefix; each is confirmed against its
      // level-0 tile, all of them read with one query.
      const candidates = new Map<Buffer, number[]>();
      for (const hash of leafHashes) {
        if (hash.length !== HASH_SIZE) continue;
        const found: number[] = [];
        leaves.find(hash, (index) => {
          found.push(index);
          return false;
        });
        if (found.length > 0) candidates.set(hash, found);
      }
      const found = new Map<string, number>();
      if (candidates.size === 0) return found;
      const tiles = new Set<number>();
      for (const indexes of candidates.values()) {
        for (const index of indexes) tiles.add(Math.floor(index / TILE_WIDTH));
      }
      const { rows } = await this.#pool.query<{ idx: number; hashes: Buffer }>(
        'SELECT idx, hashes FROM log_tiles WHERE level = 0 AND idx = ANY($1::bigint[])',
        [[...tiles]],
      );
      const byTile = new Map(rows.map((row) => [row.idx, row.hashes]));
      for (const [hash, indexes] of candidates) {
        const index = indexes.find((candidate) =>
          tileHoldsLeaf(byTile.get(Math.floor(candidate / TILE_WIDTH)), candidate, hash),
        );
        if (index !== undefined) found.set(hash.toString('latin1'), index);
      }
      return found;
    });
  }

  /** Brings the leaf index up to the durable size, reading only the level-0 tiles it lacks. */
  async #catchUpLeaves(): Promise<LeafIndex> {
    const leaves = (this.#leaves ??= new LeafIndex());
    const size = (await this.latestCheckpoint())?.size ?? 0;
    if (size <= this.#indexedSize) return leaves;
    const from = this.#indexedSize;
    const { first, last } = leafTileRange(from, size);
    const { rows } = await this.#pool.query<{ idx: number; hashes: Buffer }>(
      'SELECT idx, hashes FROM log_tiles WHERE level = 0 AND idx >= $1 AND idx <= $2 ORDER BY idx',
      [first, last],
    );
    // Another call may have caught up while this one read.
    if (this.#indexedSize !== from) return leaves;
    indexLeafTiles(leaves, rows, from, size);
    this.#indexedSize = size;
    return leaves;
  }

  integrate(batch: IntegrationBatch): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new StoreError('STORE_IO', 'cannot write a batch: the store is closed'),
      );
    }
    const write = this.#writes.then(() => this.#integrate(batch));
    this.#writes = write.catch(() => undefined);
    return write;
  }

  async #integrate(batch: IntegrationBatch): Promise<void> {
    const { fromSize, leaves } = batch;
    leaves.forEach((leaf, i) => {
      // Entries are written from arrays by position; the port hands them in index order.
      if (leaf.index !== fromSize + i) {
        throw new StoreError(
          'STORE_CONFLICT',
          `a batch from size ${fromSize} holds the leaf ${leaf.index} at position ${i}; leaves must be consecutive`,
        );
      }
    });
    const { checkpoint, tiles } = batch;
    const packed = packEntries(leaves.map((leaf) => leaf.entry));
    await this.#run('write a batch', async () => {
      let written: { written: number; stored: number | null } | undefined;
      try {
        const result = await this.#pool.query<{ written: number; stored: number | null }>(
          INTEGRATE,
          [
            fromSize,
            packed.starts,
            packed.entries,
            tiles.map((tile) => tile.level),
            tiles.map((tile) => tile.index),
            tiles.map((tile) => tile.hashes),
            checkpoint.size,
            checkpoint.rootHash,
            checkpoint.note,
            packed.lengths,
            batch.signTimes.map((t) => t.size),
            batch.signTimes.map((t) => t.at),
          ],
        );
        written = result.rows[0];
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      }
      if (written?.written !== 1) {
        throw new StoreError(
          'STORE_CONFLICT',
          `the log is at size ${written?.stored ?? 'unknown'}, not ${fromSize}: another writer is sequencing this log`,
        );
      }
    });
    // Durable now. If the index already caught up past it, it holds these leaves already.
    if (this.#leaves !== undefined && this.#indexedSize === fromSize) {
      for (const leaf of leaves) this.#leaves.add(leaf.leafHash, leaf.index);
      this.#indexedSize = batch.checkpoint.size;
    }
  }

  loggedTimes(indexes: readonly number[]): Promise<Map<number, number>> {
    return this.#run('read when entries were logged', async () => {
      const result = await this.#pool.query<{ idx: number; signed_at: number | null }>(
        `SELECT u.idx, (SELECT t.signed_at FROM log_checkpoint_times t
           WHERE t.size > u.idx ORDER BY t.size LIMIT 1) AS signed_at
         FROM unnest($1::bigint[]) AS u(idx)`,
        [indexes],
      );
      const out = new Map<number, number>();
      for (const row of result.rows) {
        if (row.signed_at !== null) out.set(row.idx, row.signed_at);
      }
      return out;
    });
  }

  saveCosignedCheckpoint(size: number, cosignedNote: string): Promise<void> {
    return this.#run('store a cosigned checkpoint', async () => {
      await this.#pool.query(
        'UPDATE log_checkpoint SET cosigned_note = $1 WHERE id = 1 AND size = $2',
        [cosignedNote, size],
      );
    });
  }

  statementIndexSize(): Promise<number> {
    return this.#run('read the statement index size', async () => {
      const { rows } = await this.#pool.query<{ size: number }>(
        'SELECT size FROM statement_index_state WHERE id = 1',
      );
      return rows[0]?.size ?? 0;
    });
  }

  indexStatements(
    fromSize: number,
    toSize: number,
    rows: readonly StatementIndexRow[],
  ): Promise<void> {
    return this.#transaction('index statements', async (client) => {
      await client.query(
        'INSERT INTO statement_index_state (id, size) VALUES (1, 0) ON CONFLICT (id) DO NOTHING',
      );
      const state = await client.query<{ size: number }>(
        'SELECT size FROM statement_index_state WHERE id = 1 FOR UPDATE',
      );
      const at = state.rows[0]?.size ?? 0;
      if (at !== fromSize) {
        throw new StoreError(
          'STORE_CONFLICT',
          `the statement index is at size ${at}, not ${fromSize}: another indexer is running`,
        );
      }
      if (rows.length > 0) {
        await client.query(
          `INSERT INTO statements (idx, type, vendor)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])
           ON CONFLICT (idx) DO UPDATE SET type = excluded.type, vendor = excluded.vendor`,
          [rows.map((r) => r.index), rows.map((r) => r.type), rows.map((r) => r.vendor ?? null)],
        );
        const subjects = rows.flatMap((r) => r.subjects.map((digest) => [digest, r.index]));
        await client.query(
          `INSERT INTO statement_subjects (digest, idx)
           SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`,
          [subjects.map((s) => s[0]), subjects.map((s) => s[1])],
        );
        const payloads = rows.filter((r) => r.payload !== undefined);
        await client.query(
          `INSERT INTO statement_payloads (idx, digest)
           SELECT * FROM unnest($1::bigint[], $2::text[])
           ON CONFLICT (idx) DO UPDATE SET digest = excluded.digest`,
          [payloads.map((r) => r.index), payloads.map((r) => r.payload)],
        );
      }
      await client.query('UPDATE statement_index_state SET size = $1 WHERE id = 1', [toSize]);
    });
  }

  findStatements(query: StatementQuery): Promise<StatementIndexRow[]> {
    return this.#run('list statements', async () => {
      const { sql, params } = statementQuerySql(query);
      const { rows } = await this.#pool.query<StatementDbRow>(sql, params);
      return rows.map(toStatementRow);
    });
  }

  statementAt(index: number): Promise<StatementIndexRow | undefined> {
    return this.#run('read a statement', async () => {
      const { rows } = await this.#pool.query<StatementDbRow>(
        `SELECT ${STATEMENT_COLUMNS} FROM statements s WHERE s.idx = $1`,
        [index],
      );
      const row = rows[0];
      return row === undefined ? undefined : toStatementRow(row);
    });
  }

  /** Waits for the writes already made, then closes the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes;
    await this.#pool.end();
  }

  async #transaction(what: string, work: (client: PostgresClient) => Promise<void>): Promise<void> {
    await this.#run(what, () => inTransaction(this.#pool, work));
  }

  /** A batch already queued before close is still written: close waits for it. */
  #run<T>(what: string, work: () => Promise<T>): Promise<T> {
    return postgresCall(this.#closed && what !== 'write a batch', what, work);
  }
}
