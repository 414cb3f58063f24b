/**
 * Where a data directory keeps its signed audit watermark: one row in `log_audit_watermark` of
 * `nospy.db`, written through its own connection (the log's batch writer is not involved).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../store/errors.js';
import { LOG_DATABASE_FILE } from '../verify/sqlite-log-source.js';

/** Where the audit watermark is kept; a networked store answers asynchronously. */
export interface WatermarkStore {
  read(): string | undefined | Promise<string | undefined>;
  write(note: string): void | Promise<void>;
  close(): void | Promise<void>;
}

/** The embedded store answers at once. */
export interface SqliteWatermarkStore extends WatermarkStore {
  read(): string | undefined;
  write(note: string): void;
  close(): void;
}

export function sqliteWatermarkStore(dataDir: string): SqliteWatermarkStore {
  const file = join(dataDir, LOG_DATABASE_FILE);
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.exec(
      'CREATE TABLE IF NOT EXISTS log_audit_watermark (id INTEGER PRIMARY KEY CHECK (id = 1), note TEXT NOT NULL)',
    );
  } catch (error) {
    throw new StoreError(
      'STORE_IO',
      `cannot open ${file} for the audit watermark: ${(error as Error).message}`,
      {
        where: file,
        cause: error,
      },
    );
  }
  const select = db
    .prepare<[], string>('SELECT note FROM log_audit_watermark WHERE id = 1')
    .pluck();
  const upsert = db.prepare(
    'INSERT INTO log_audit_watermark (id, note) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET note = excluded.note',
  );
  return {
    read: () => {
      try {
        return select.get();
      } catch {
        return undefined;
      }
    },
    write: (note) => {
      upsert.run(note);
    },
    close: () => {
      db.close();
    },
  };
}
