import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { IntegrationBatch } from '../log-store-port.js';
import { StoreError } from '../errors.js';

/** Rows of `log_entries` written by one multi-row INSERT: fewer statement steps per batch. */
export const ENTRY_ROWS_PER_INSERT = 128;

/** The statements of one batch, shared with the worker as text. */
export const INTEGRATE_SQL = {
  size: 'SELECT size FROM log_checkpoint WHERE id = 1',
  putEntry: 'INSERT INTO log_entries (idx, data) VALUES (?, ?)',
  putEntries: `INSERT INTO log_entries (idx, data) VALUES ${Array.from(
    { length: ENTRY_ROWS_PER_INSERT },
    () => '(?, ?)',
  ).join(', ')}`,
  // A row only ever grows: hashes are immutable once written, so a shorter write is a bug.
  putTile: `INSERT INTO log_tiles (level, idx, hashes) VALUES (?, ?, ?)
    ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
    WHERE length(excluded.hashes) > length(log_tiles.hashes)`,
  putCheckpoint: `INSERT INTO log_checkpoint (id, size, root_hash, note, cosigned_note) VALUES (1, ?, ?, ?, NULL)
    ON CONFLICT (id) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash,
      note = excluded.note, cosigned_note = NULL`,
  cosign: 'UPDATE log_checkpoint SET cosigned_note = ? WHERE id = 1 AND size = ?',
  // The first signing of a size is when its entries were logged; a later one changes nothing.
  putSignedAt: 'INSERT OR IGNORE INTO log_checkpoint_times (size, signed_at) VALUES (?, ?)',
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
// A batch arrives packed: every entry back to back in one transferred ArrayBuffer, with their
// end offsets; rows bind views into it, so no entry is copied on this side.
const integrate = db.transaction((batch) => {
  const row = s.size.get();
  const stored = row === undefined ? 0 : row.size;
  if (stored !== batch.fromSize) {
    const error = new Error('the log is at size ' + stored + ', not ' + batch.fromSize + ': another writer is sequencing this log');
    error.conflict = true;
    throw error;
  }
  const entries = batch.entries;
  const ends = batch.ends;
  const count = ends.length;
  const rows = workerData.rowsPerInsert;
  const args = new Array(2 * rows);
  let i = 0;
  let start = 0;
  for (; i + rows <= count; i += rows) {
    for (let r = 0; r < rows; r++) {
      const end = ends[i + r];
      args[2 * r] = batch.fromSize + i + r;
      args[2 * r + 1] = Buffer.from(entries, start, end - start);
      start = end;
    }
    s.putEntries.run(args);
  }
  for (; i < count; i++) {
    const end = ends[i];
    s.putEntry.run(batch.fromSize + i, Buffer.from(entries, start, end - start));
    start = end;
  }
  for (const tile of batch.tiles) s.putTile.run(tile.level, tile.index, buf(tile.hashes));
  const cp = batch.checkpoint;
  s.putCheckpoint.run(cp.size, buf(cp.rootHash), cp.note);
  for (const t of batch.signTimes) s.putSignedAt.run(t.size, t.at);
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
    parentPort.postMessage({ id: message.id, error: String(error && error.message), code: error && typeof error.code === 'string' ? error.code : undefined, conflict: !!(error && error.conflict) });
  }
});
`;

/**
 * A batch as posted to the worker. Structured cloning an array of Buffers costs an object per
 * entry and copies each Buffer's whole backing store (for a pooled one an 8 KiB slab, for a
 * request body possibly a socket's read buffer); one packed ArrayBuffer, transferred, costs one
 * copy of the entries and nothing more.
 */
interface PackedBatch {
  readonly fromSize: number;
  readonly signTimes: IntegrationBatch['signTimes'];
  /** Every entry of the batch back to back. */
  readonly entries: ArrayBuffer;
  /** ends[i] = the offset in `entries` just past entry fromSize + i. */
  readonly ends: Uint32Array;
  readonly tiles: readonly { level: number; index: number; hashes: Uint8Array }[];
  readonly checkpoint: {
    readonly size: number;
    readonly rootHash: Uint8Array;
    readonly note: string;
  };
}

function packBatch(batch: IntegrationBatch): { packed: PackedBatch; transfer: ArrayBuffer[] } {
  const { leaves, fromSize } = batch;
  const ends = new Uint32Array(leaves.length);
  let total = 0;
  leaves.forEach((leaf, i) => {
    // The port hands leaves in index order from fromSize; the packed form relies on it.
    if (leaf.index !== fromSize + i) {
      throw new StoreError(
        'STORE_CONFLICT',
        `a batch from size ${fromSize} holds the leaf ${leaf.index} at position ${i}; leaves must be consecutive`,
      );
    }
    total += leaf.entry.length;
    ends[i] = total;
  });
  const entries = new Uint8Array(total);
  leaves.forEach((leaf, i) => {
    entries.set(leaf.entry, i === 0 ? 0 : (ends[i - 1] ?? 0));
  });
  const tiles = batch.tiles.map((tile) => ({
    level: tile.level,
    index: tile.index,
    hashes: new Uint8Array(tile.hashes),
  }));
  return {
    packed: {
      fromSize,
      signTimes: batch.signTimes,
      entries: entries.buffer,
      ends,
      tiles,
      // Its own 32 bytes: a hash may be a view into a shared pool slab, which cloning copies whole.
      checkpoint: { ...batch.checkpoint, rootHash: new Uint8Array(batch.checkpoint.rootHash) },
    },
    transfer: [entries.buffer, ends.buffer, ...tiles.map((tile) => tile.hashes.buffer)],
  };
}

interface Reply {
  readonly id: number;
  readonly error?: string;
  /** better-sqlite3's result code (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`…). */
  readonly code?: string;
  readonly conflict?: boolean;
}

/**
 * The error a failed write is reported as. SQLITE_FULL (the disk, or the database's page quota,
 * is full) is STORE_FULL: nothing of the batch was written and a retry succeeds once space is
 * freed, so the server answers 503 rather than 500. Every other failure is STORE_IO.
 */
export function storeWriteError(
  message: string,
  sqliteCode: string | undefined,
  file: string,
): StoreError {
  if (sqliteCode === 'SQLITE_FULL') {
    return new StoreError(
      'STORE_FULL',
      `cannot write a batch: the disk or the database is full (${message})`,
      { where: file },
    );
  }
  return new StoreError('STORE_IO', `cannot write a batch: ${message}`, { where: file });
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
      workerData: {
        file,
        driver: require.resolve('better-sqlite3'),
        sql: INTEGRATE_SQL,
        rowsPerInsert: ENTRY_ROWS_PER_INSERT,
      },
    });
    this.#worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (waiting === undefined) return;
      this.#pending.delete(reply.id);
      if (reply.error === undefined) waiting.resolve();
      else
        waiting.reject(
          reply.conflict === true
            ? new StoreError('STORE_CONFLICT', reply.error, { where: file })
            : storeWriteError(reply.error, reply.code, file),
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
    let packing: ReturnType<typeof packBatch>;
    try {
      packing = packBatch(batch);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.#send({ batch: packing.packed }, packing.transfer);
  }

  /**
   * Attaches the cosigned note to the checkpoint of that size. Through the same thread, so the
   * database has exactly one writer and writes never wait on each other's locks.
   */
  cosign(size: number, note: string): Promise<void> {
    return this.#send({ cosign: { size, note } });
  }

  #send(message: object, transfer: readonly ArrayBuffer[] = []): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closed !== undefined) {
      return Promise.reject(new StoreError('STORE_IO', 'the store is closed'));
    }
    const id = (this.#next += 1);
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message }, transfer);
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
