import { storeCall } from './store-call.js';
import { StoreError } from '../errors.js';
import type {
  IntegrationBatch,
  LogIdentity,
  LogStorePort,
  StatementIndexRow,
  StatementQuery,
  StoredCheckpoint,
} from '../log-store-port.js';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { LeafIndex } from '../../tlog/leaf-index.js';
import { HASH_SIZE } from '../../tlog/hash.js';
import { TILE_WIDTH } from '../../tlog/tiles.js';
import { BatchWriter } from './batch-writer.js';
import { indexLeafTiles, leafTileRange, tileHoldsLeaf } from '../leaf-tiles.js';
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from './database.js';
import {
  STATEMENT_COLUMNS,
  STATEMENT_QUERY_INDEXES,
  statementQuerySql,
  type StatementDbRow,
} from './statement-query.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  origin TEXT NOT NULL,
  vkey TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS log_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  size INTEGER NOT NULL,
  root_hash BLOB NOT NULL,
  note TEXT NOT NULL,
  cosigned_note TEXT
);
CREATE TABLE IF NOT EXISTS log_tiles (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hashes BLOB NOT NULL,
  PRIMARY KEY (level, idx)
);
-- When each checkpoint size was first signed: entry i was logged at the first size above i.
-- A row with a NULL time marks the size the log had when this table was added: entries below
-- it were logged at a time nobody kept.
CREATE TABLE IF NOT EXISTS log_checkpoint_times (
  size INTEGER PRIMARY KEY,
  signed_at INTEGER
);
INSERT INTO log_checkpoint_times (size, signed_at)
  SELECT size, NULL FROM log_checkpoint
  WHERE size > 0 AND NOT EXISTS (SELECT 1 FROM log_checkpoint_times);
CREATE TABLE IF NOT EXISTS log_entries (
  idx INTEGER PRIMARY KEY,
  data BLOB NOT NULL
);
-- Leaf hashes are looked up in memory (leaf-index.ts), rebuilt from the level-0 tiles, which
-- hold every leaf hash in order; the table earlier versions kept for it cost a random B-tree
-- insert per entry.
DROP TABLE IF EXISTS log_leaves;
-- The statement index, derived from log_entries (see StatementIndexer): rebuilding it from the
-- entries always gives the same rows, so it cannot disagree with the log.
CREATE TABLE IF NOT EXISTS statement_index_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS statements (
  idx INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  vendor TEXT
);
CREATE TABLE IF NOT EXISTS statement_subjects (
  digest TEXT NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (digest, idx)
) WITHOUT ROWID;
-- Each statement's signed payload (SHA-256 of its DSSE PAE): the entries that hold one payload
-- are one statement, each later one extending the one before with more signatures.
CREATE TABLE IF NOT EXISTS statement_payloads (
  idx INTEGER PRIMARY KEY,
  digest TEXT NOT NULL
);
${STATEMENT_QUERY_INDEXES}`;

/**
 * The embedded log store: one SQLite file, prepared statements, one transaction per batch.
 * Reads run on the calling thread (better-sqlite3 is synchronous; WAL lets them proceed while
 * a batch commits); the batch writes run on a worker thread (batch-writer.ts) so that waiting
 * for fsync never stalls the event loop.
 */
export class SqliteLogStore implements LogStorePort {
  readonly #db: SqliteDatabase;
  readonly #statements;
  readonly #writer: BatchWriter;
  readonly #queries = new Map<string, Database.Statement<(string | number)[], StatementDbRow>>();
  /** Every durable leaf hash → its index, built on first use; covers [0, #indexedSize). */
  #leaves: LeafIndex | undefined;
  #indexedSize = 0;
  #closed = false;

  constructor(dataDir: string) {
    this.#db = openDatabase(dataDir);
    const payloadsKnown =
      this.#db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'statement_payloads'")
        .get() !== undefined;
    this.#db.exec(SCHEMA);
    // A statement index built before payloads were indexed is rebuilt from the entries (the
    // index is derived, and writing its rows again is idempotent).
    if (!payloadsKnown) this.#db.exec('DELETE FROM statement_index_state');
    const db = this.#db;
    this.#statements = {
      identity: db.prepare<[], LogIdentity>('SELECT origin, vkey FROM log_identity WHERE id = 1'),
      claim: db.prepare('INSERT OR IGNORE INTO log_identity (id, origin, vkey) VALUES (1, ?, ?)'),
      checkpoint: db.prepare<
        [],
        { size: number; root_hash: Buffer; note: string; cosigned_note: string | null }
      >('SELECT size, root_hash, note, cosigned_note FROM log_checkpoint WHERE id = 1'),
      tile: db.prepare<[number, number], { hashes: Buffer }>(
        'SELECT hashes FROM log_tiles WHERE level = ? AND idx = ?',
      ),
      entries: db
        .prepare<[number, number], Buffer>(
          'SELECT data FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx',
        )
        .pluck(),
      size: db.prepare<[], number>('SELECT size FROM log_checkpoint WHERE id = 1').pluck(),
      signedAfter: db.prepare<[number], { signed_at: number | null }>(
        'SELECT signed_at FROM log_checkpoint_times WHERE size > ? ORDER BY size LIMIT 1',
      ),
      leafTiles: db.prepare<[number, number], { idx: number; hashes: Buffer }>(
        'SELECT idx, hashes FROM log_tiles WHERE level = 0 AND idx >= ? AND idx <= ? ORDER BY idx',
      ),
      indexSize: db
        .prepare<[], number>('SELECT size FROM statement_index_state WHERE id = 1')
        .pluck(),
      setIndexSize: db.prepare(
        `INSERT INTO statement_index_state (id, size) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET size = excluded.size`,
      ),
      putStatement: db.prepare(
        'INSERT OR REPLACE INTO statements (idx, type, vendor) VALUES (?, ?, ?)',
      ),
      putSubject: db.prepare(
        'INSERT OR IGNORE INTO statement_subjects (digest, idx) VALUES (?, ?)',
      ),
      putPayload: db.prepare(
        'INSERT OR REPLACE INTO statement_payloads (idx, digest) VALUES (?, ?)',
      ),
      statementAt: db.prepare<[number], StatementDbRow>(
        `SELECT ${STATEMENT_COLUMNS} FROM statements s WHERE s.idx = ?`,
      ),
    };
    this.#writer = new BatchWriter(join(dataDir, DATABASE_FILE));
  }

  claimIdentity(identity: LogIdentity): Promise<LogIdentity> {
    return this.#run('claim the log identity', () => {
      this.#statements.claim.run(identity.origin, identity.vkey);
      const stored = this.#statements.identity.get();
      if (stored === undefined) throw new Error('log_identity row missing after insert');
      return { origin: stored.origin, vkey: stored.vkey };
    });
  }

  latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.#run('read the checkpoint', () => {
      const row = this.#statements.checkpoint.get();
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
    return this.#run('read a tile', () => this.#statements.tile.get(level, index)?.hashes);
  }

  readEntries(start: number, count: number): Promise<Buffer[]> {
    return this.#run('read entries', () => this.#statements.entries.all(start, start + count));
  }

  findLeaves(leafHashes: readonly Buffer[]): Promise<Map<string, number>> {
    return this.#run('look up leaf hashes', () => {
      const leaves = this.#catchUpLeaves();
      const found = new Map<string, number>();
      // A candidate is confirmed against its level-0 tile; duplicates often come in runs of
      // one tile, so the last row read is kept.
      let row: { tile: number; hashes: Buffer | undefined } | undefined;
      for (const hash of leafHashes) {
        if (hash.length !== HASH_SIZE) continue;
        const index = leaves.find(hash, (candidate) => {
          const tile = Math.floor(candidate / TILE_WIDTH);
          if (row?.tile !== tile)
            row = { tile, hashes: this.#statements.tile.get(0, tile)?.hashes };
          return tileHoldsLeaf(row.hashes, candidate, hash);
        });
        if (index !== undefined) found.set(hash.toString('latin1'), index);
      }
      return found;
    });
  }

  async integrate(batch: IntegrationBatch): Promise<void> {
    if (this.#closed) {
      throw new StoreError('STORE_IO', 'cannot write a batch: the store is closed');
    }
    await this.#writer.write(batch);
    // Durable now. If the index already caught up past it (another lookup read the new tiles
    // first), it holds these leaves already.
    if (this.#leaves !== undefined && this.#indexedSize === batch.fromSize) {
      for (const leaf of batch.leaves) this.#leaves.add(leaf.leafHash, leaf.index);
      this.#indexedSize = batch.checkpoint.size;
    }
  }

  /**
   * Brings the leaf index up to the durable size, reading the level-0 tiles it has not seen:
   * all of them on first use, and afterwards only what another writer (a `nospy log add` on
   * the same directory) committed.
   */
  #catchUpLeaves(): LeafIndex {
    const leaves = (this.#leaves ??= new LeafIndex());
    const size = this.#statements.size.get() ?? 0;
    if (size <= this.#indexedSize) return leaves;
    const from = this.#indexedSize;
    const { first, last } = leafTileRange(from, size);
    indexLeafTiles(leaves, this.#statements.leafTiles.all(first, last), from, size);
    this.#indexedSize = size;
    return leaves;
  }

  loggedTimes(indexes: readonly number[]): Promise<Map<number, number>> {
    return this.#run('read when entries were logged', () => {
      const out = new Map<number, number>();
      for (const index of indexes) {
        const at = this.#statements.signedAfter.get(index)?.signed_at;
        if (typeof at === 'number') out.set(index, at);
      }
      return out;
    });
  }

  saveCosignedCheckpoint(size: number, cosignedNote: string): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new StoreError('STORE_IO', 'cannot store a cosigned checkpoint: the store is closed'),
      );
    }
    return this.#writer.cosign(size, cosignedNote);
  }

  statementIndexSize(): Promise<number> {
    return this.#run('read the statement index size', () => this.#statements.indexSize.get() ?? 0);
  }

  indexStatements(
    fromSize: number,
    toSize: number,
    rows: readonly StatementIndexRow[],
  ): Promise<void> {
    return this.#run('index statements', () => {
      this.#db
        .transaction(() => {
          const at = this.#statements.indexSize.get() ?? 0;
          if (at !== fromSize) {
            throw new StoreError(
              'STORE_CONFLICT',
              `the statement index is at size ${at}, not ${fromSize}: another indexer is running`,
            );
          }
          for (const row of rows) {
            this.#statements.putStatement.run(row.index, row.type, row.vendor ?? null);
            for (const digest of row.subjects) this.#statements.putSubject.run(digest, row.index);
            if (row.payload !== undefined) this.#statements.putPayload.run(row.index, row.payload);
          }
          this.#statements.setIndexSize.run(toSize);
          // IMMEDIATE: the write lock is taken first, waiting (busy_timeout) for a batch commit of
          // the writer thread; a deferred transaction that read first could not take it after
          // such a commit and would fail at once (SQLITE_BUSY), as it did under concurrent POSTs.
        })
        .immediate();
    });
  }

  findStatements(query: StatementQuery): Promise<StatementIndexRow[]> {
    return this.#run('list statements', () => {
      const { sql, params } = statementQuerySql(query);
      // One statement per combination of filters (a few dozen at most), prepared once.
      let prepared = this.#queries.get(sql);
      if (prepared === undefined) {
        prepared = this.#db.prepare<(string | number)[], StatementDbRow>(sql);
        this.#queries.set(sql, prepared);
      }
      return prepared.all(...params).map(toRow);
    });
  }

  statementAt(index: number): Promise<StatementIndexRow | undefined> {
    return this.#run('read a statement', () => {
      const row = this.#statements.statementAt.get(index);
      return row === undefined ? undefined : toRow(row);
    });
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      await this.#writer.close();
      this.#db.close();
    }
  }

  #run<T>(what: string, work: () => T): Promise<T> {
    return storeCall(this.#closed, what, work);
  }
}

function toRow(row: StatementDbRow): StatementIndexRow {
  return {
    index: row.idx,
    type: row.type,
    vendor: row.vendor ?? undefined,
    subjects:
      row.subjects === '' || (row.subjects as string | null) === null
        ? []
        : row.subjects.split(' ').sort(),
    ...(row.payload === null ? {} : { payload: row.payload }),
    ...(row.extends === null ? {} : { extends: row.extends }),
  };
}
