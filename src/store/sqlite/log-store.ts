import { StoreError } from '../errors.js';
import type {
  IntegrationBatch,
  LogIdentity,
  LogStore,
  StatementIndexRow,
  StatementQuery,
  StoredCheckpoint,
} from '../log-store.js';
import { join } from 'node:path';
import { BatchWriter } from './batch-writer.js';
import { DATABASE_FILE, errorText, openDatabase, type SqliteDatabase } from './database.js';

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
CREATE TABLE IF NOT EXISTS log_entries (
  idx INTEGER PRIMARY KEY,
  data BLOB NOT NULL
);
-- Leaf hash → index, for de-duplication; WITHOUT ROWID keeps it one B-tree.
CREATE TABLE IF NOT EXISTS log_leaves (
  leaf_hash BLOB PRIMARY KEY,
  idx INTEGER NOT NULL
) WITHOUT ROWID;
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
CREATE INDEX IF NOT EXISTS statements_by_type ON statements (type, idx);
CREATE INDEX IF NOT EXISTS statements_by_vendor ON statements (vendor, idx);
CREATE TABLE IF NOT EXISTS statement_subjects (
  digest TEXT NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (digest, idx)
) WITHOUT ROWID;
`;

interface StatementDbRow {
  idx: number;
  type: string;
  vendor: string | null;
  subjects: string;
}

const STATEMENT_COLUMNS = `s.idx AS idx, s.type AS type, s.vendor AS vendor,
  (SELECT group_concat(digest, ' ') FROM statement_subjects d WHERE d.idx = s.idx) AS subjects`;

/**
 * The embedded log store: one SQLite file, prepared statements, one transaction per batch.
 * Reads run on the calling thread (better-sqlite3 is synchronous; WAL lets them proceed while
 * a batch commits); the batch writes run on a worker thread (batch-writer.ts) so that waiting
 * for fsync never stalls the event loop.
 */
export class SqliteLogStore implements LogStore {
  readonly #db: SqliteDatabase;
  readonly #statements;
  readonly #writer: BatchWriter;
  #closed = false;

  constructor(dataDir: string) {
    this.#db = openDatabase(dataDir);
    this.#db.exec(SCHEMA);
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
      leaf: db.prepare<[Buffer], { idx: number }>('SELECT idx FROM log_leaves WHERE leaf_hash = ?'),
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
      const found = new Map<string, number>();
      for (const hash of leafHashes) {
        const row = this.#statements.leaf.get(hash);
        if (row !== undefined) found.set(hash.toString('latin1'), row.idx);
      }
      return found;
    });
  }

  integrate(batch: IntegrationBatch): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new StoreError('STORE_IO', 'cannot write a batch: the store is closed'),
      );
    return this.#writer.write(batch);
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
      this.#db.transaction(() => {
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
        }
        this.#statements.setIndexSize.run(toSize);
      })();
    });
  }

  findStatements(query: StatementQuery): Promise<StatementIndexRow[]> {
    return this.#run('list statements', () => {
      const where = ['s.idx >= ?', 's.idx < ?'];
      const params: (string | number)[] = [query.from ?? 0, query.below];
      if (query.type !== undefined) {
        where.push('s.type = ?');
        params.push(query.type);
      }
      if (query.vendor !== undefined) {
        where.push('s.vendor = ?');
        params.push(query.vendor);
      }
      if (query.subject !== undefined) {
        where.push(
          'EXISTS (SELECT 1 FROM statement_subjects d WHERE d.digest = ? AND d.idx = s.idx)',
        );
        params.push(query.subject);
      }
      params.push(query.limit);
      // Built from fixed fragments only; every value is a bound parameter.
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM statements s WHERE ${where.join(' AND ')}
        ORDER BY s.idx LIMIT ?`;
      return this.#db
        .prepare<(string | number)[], StatementDbRow>(sql)
        .all(...params)
        .map(toRow);
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
    try {
      if (this.#closed) throw new StoreError('STORE_IO', `cannot ${what}: the store is closed`);
      return Promise.resolve(work());
    } catch (error) {
      if (error instanceof StoreError) return Promise.reject(error);
      return Promise.reject(
        new StoreError('STORE_IO', `cannot ${what}: ${errorText(error)}`, { cause: error }),
      );
    }
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
  };
}
