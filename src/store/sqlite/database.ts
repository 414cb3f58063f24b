import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { errorText } from '../../errors/error-text.js';
import { StoreError } from '../errors.js';

export type SqliteDatabase = Database.Database;

/** The one database file in a data directory. */
export const DATABASE_FILE = 'nospy.db';

/**
 * Opens (creating if needed) `<dataDir>/nospy.db` for durable writes: WAL so readers never block
 * the sequencer, and synchronous=FULL so that a committed transaction has been fsynced to the
 * WAL before `COMMIT` returns — an acknowledged write survives kill -9 and power loss
 * (https://sqlite.org/pragma.html#pragma_synchronous).
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  const file = join(dataDir, DATABASE_FILE);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    throw new StoreError('STORE_IO', `cannot open the database ${file}: ${errorText(error)}`, {
      where: file,
      cause: error,
    });
  }
}
