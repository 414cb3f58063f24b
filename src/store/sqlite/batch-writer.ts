import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { IntegrationBatch } from '../log-store.js';
import { StoreError } from '../errors.js';

/** The statements of one batch, shared with the worker as text. */
export const INTEGRATE_SQL = {
  size: 'SELECT size FROM log_checkpoint WHERE id = 1',
  putEntry: 'INSERT INTO log_entries (idx, data) VALUES (?, ?)',
  putLeaf: 'INSERT INTO log_leaves (leaf_hash, idx) VALUES (?, ?)',
  // A row only ever grows: hashes are immutable once written, so a shorter write is a bug.
  putTile: `INSERT INTO log_tiles (level, idx, hashes) VALUES (?, ?, ?)
    ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
    WHERE length(excluded.hashes) > length(log_tiles.hashes)`,
  putCheckpoint: `INSERT INTO log_checkpoint (id, size, root_hash, note, cosigned_note) VALUES (1, ?, ?, ?, NULL)
    ON CONFLICT (id) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash,
      note = excluded.note, cosigned_note = NULL`,
  cosign: 'UPDATE log_checkpoint SET cosigned_note = ? WHERE id = 1 AND size = ?',
} as const;

/*
 * The worker: its own connection (WAL, synchronous=FULL), one transaction per batch, the tree
 * size compared first so a second writer can never interleave (compare-and-swap). Plain
 * JavaScript evaluated in the worker, so it runs the same from src/ under tests and from dist/.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const s = {};
for (const [name, sql] of Object.entries(workerData.sql)) s[name] = db.prepare(sql);
const buf = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
const integrate = db.transaction((batch) => {
  const row = s.size.get();
  const stored = row === undefined ? 0 : row.size;
  if (stored !== batch.fromSize) {
    const error = new Error('the log is at size ' + stored + ', not ' + batch.fromSize + ': another writer is sequencing this log');
    error.conflict = true;
    throw error;
  }
  for (const leaf of batch.leaves) {
    s.putEntry.run(leaf.index, buf(leaf.entry));
    s.putLeaf.run(buf(leaf.leafHash), leaf.index);
  }
  for (const tile of batch.tiles) s.putTile.run(tile.level, tile.index, buf(tile.hashes));
  const cp = batch.checkpoint;
  s.putCheckpoint.run(cp.size, buf(cp.rootHash), cp.note);
});
parentPort.on('message', (message) => {
  if (message.close) { db.close(); parentPort.close(); return; }
  try {
    if (message.cosign) s.cosign.run(message.cosign.note, message.cosign.size);
    // IMMEDIATE: take the write lock before reading the size, so another writer (a concurrent
    // nospy log add) makes this wait (busy_timeout) rather than fail on a stale snapshot.
    else integrate.immediate(message.batch);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.message), conflict: !!(error && error.conflict) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly error?: string;
  readonly conflict?: boolean;
}

/**
 * Commits batches on a worker thread. A commit with synchronous=FULL waits for fsync; on the main
 * thread that wait would stall every HTTP request, so the sequencer's one write per batch runs
 * here while the event loop keeps accepting the next batch's entries.
 */
export class BatchWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #next = 0;
  #failure: Error | undefined;
  #closed: Promise<void> | undefined;

  constructor(file: string) {
    const require = createRequire(import.meta.url);
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: require.resolve('better-sqlite3'), sql: INTEGRATE_SQL },
    });
    this.#worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (waiting === undefined) return;
      this.#pending.delete(reply.id);
      if (reply.error === undefined) waiting.resolve();
      else
        waiting.reject(
          new StoreError(
            reply.conflict === true ? 'STORE_CONFLICT' : 'STORE_IO',
            reply.conflict === true ? reply.error : `cannot write a batch: ${reply.error}`,
            { where: file },
          ),
        );
    });
    this.#worker.on('error', (error) => {
      this.#fail(
        new StoreError('STORE_IO', `the database writer failed: ${error.message}`, {
          cause: error,
        }),
      );
    });
    this.#worker.on('exit', () => {
      this.#fail(new StoreError('STORE_IO', 'the database writer stopped'));
    });
  }

  /** Writes one batch in one transaction; resolves once it is committed and fsynced. */
  write(batch: IntegrationBatch): Promise<void> {
    return this.#send({ batch });
  }

  /**
   * Attaches the cosigned note to the checkpoint of that size. Through the same thread, so the
   * database has exactly one writer and writes never wait on each other's locks.
   */
  cosign(size: number, note: string): Promise<void> {
    return this.#send({ cosign: { size, note } });
  }

  #send(message: object): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closed !== undefined) {
      return Promise.reject(new StoreError('STORE_IO', 'the store is closed'));
    }
    const id = (this.#next += 1);
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }

  /** Closes the worker's connection after the writes already sent. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#failure !== undefined) {
        resolve();
        return;
      }
      this.#worker.once('exit', () => {
        resolve();
      });
      this.#worker.postMessage({ close: true });
    });
    return this.#closed;
  }

  #fail(error: StoreError): void {
    this.#failure ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}
