import { storeCall } from './store-call.js';
import type { WitnessLogState, WitnessStorePort } from '../witness-store-port.js';
import { openDatabase, type SqliteDatabase } from './database.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS witness_logs (
  origin TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  root_hash BLOB NOT NULL,
  note TEXT NOT NULL
);
`;

/**
 * A witness's memory of each log, in `<dataDir>/nospy.db`. `advance` is one transaction with
 * synchronous=FULL, so the state is on disk before the witness answers (c2sp.org/tlog-witness:
 * "persisted atomically before replying").
 */
export class SqliteWitnessStore implements WitnessStorePort {
  readonly #db: SqliteDatabase;
  readonly #get;
  readonly #all;
  readonly #advance: (next: WitnessLogState, expected: number | undefined) => boolean;
  #closed = false;

  constructor(dataDir: string) {
    this.#db = openDatabase(dataDir);
    this.#db.exec(SCHEMA);
    const get = this.#db.prepare<[string], { size: number; root_hash: Buffer; note: string }>(
      'SELECT size, root_hash, note FROM witness_logs WHERE origin = ?',
    );
    const put = this.#db.prepare(
      `INSERT INTO witness_logs (origin, size, root_hash, note) VALUES (?, ?, ?, ?)
       ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash,
         note = excluded.note`,
    );
    this.#get = get;
    this.#all = this.#db.prepare<
      [],
      { origin: string; size: number; root_hash: Buffer; note: string }
    >('SELECT origin, size, root_hash, note FROM witness_logs ORDER BY origin');
    this.#advance = this.#db.transaction((next: WitnessLogState, expected: number | undefined) => {
      const current = get.get(next.origin);
      if ((current?.size ?? undefined) !== expected) return false;
      put.run(next.origin, next.size, next.rootHash, next.note);
      return true;
    });
  }

  latest(origin: string): Promise<WitnessLogState | undefined> {
    return this.#run('read the witness state', () => {
      const row = this.#get.get(origin);
      return row === undefined
        ? undefined
        : { origin, size: row.size, rootHash: row.root_hash, note: row.note };
    });
  }

  all(): Promise<WitnessLogState[]> {
    return this.#run('read the witness state', () =>
      this.#all.all().map((row) => ({
        origin: row.origin,
        size: row.size,
        rootHash: row.root_hash,
        note: row.note,
      })),
    );
  }

  advance(next: WitnessLogState, expectedSize: number | undefined): Promise<boolean> {
    return this.#run('persist the witness state', () => this.#advance(next, expectedSize));
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#db.close();
    }
    return Promise.resolve();
  }

  #run<T>(what: string, work: () => T): Promise<T> {
    return storeCall(this.#closed, what, work);
  }
}
