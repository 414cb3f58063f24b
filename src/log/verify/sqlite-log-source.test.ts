import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../tlog/note-key.js';
import { openLog } from '../open-log.js';
import { UnverifiedLogError } from './log-source.js';
import { SqliteLogSource } from './sqlite-log-source.js';
import { verifyLog } from './verify-log.js';

const key = generateNoteKey('log.example/sqlite-source');
const trust = { logKey: key, witnesses: [], quorum: 0 };
const SIZE = 5000;
const root = mkdtempSync(join(tmpdir(), 'nospy-sqlite-source-'));
const pristine = join(root, 'pristine');
let dir: string;
let copies = 0;

beforeAll(async () => {
  const log = await openLog({ dataDir: pristine, signer: key });
  for (let start = 0; start < SIZE; start += 1000) {
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) => log.sequencer.add(Buffer.from(`entry ${start + i}`))),
    );
  }
  await log.close();
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  dir = join(root, `copy-${(copies += 1)}`);
  cpSync(pristine, dir, { recursive: true });
});

function edit(sql: string, ...params: unknown[]): void {
  const db = new Database(join(dir, 'nospy.db'));
  db.prepare(sql).run(...params);
  db.close();
}

async function failure(): Promise<UnverifiedLogError> {
  const source = new SqliteLogSource(dir);
  try {
    await verifyLog(source, trust);
  } catch (error) {
    expect(error).toBeInstanceOf(UnverifiedLogError);
    return error as UnverifiedLogError;
  } finally {
    await source.close();
  }
  throw new Error('the log verified');
}

describe('a log data directory as a source', () => {
  it('verifies an intact log of several read-ahead chunks', async () => {
    const source = new SqliteLogSource(dir);
    try {
      expect((await verifyLog(source, trust)).entryCount).toBe(SIZE);
    } finally {
      await source.close();
    }
  });

  it.each([4095, 4096, 4999, 0])('names entry %i when its row was deleted', async (index) => {
    edit('DELETE FROM log_entries WHERE idx = ?', index);
    expect((await failure()).failed).toEqual({ part: 'entry', index });
  });

  it('names a tile row longer than its tile', async () => {
    const db = new Database(join(dir, 'nospy.db'));
    const row = db
      .prepare<[], Buffer>('SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 19')
      .pluck()
      .get() as Buffer;
    db.prepare('UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 19').run(
      Buffer.concat([row, Buffer.alloc(32)]),
    );
    db.close();
    const error = await failure();
    expect(error.failed).toEqual({ part: 'stray', what: 'tile/0/019.p/136' });
  });

  it('names a tile row the tree does not have', async () => {
    edit('INSERT INTO log_tiles (level, idx, hashes) VALUES (0, 20, zeroblob(32))');
    expect((await failure()).message).toMatch(
      /log_tiles holds tile 0\/20, which the tree of size 5000 does not have/,
    );
  });

  it('leaves the database as it found it', async () => {
    const before = readFileSync(join(dir, 'nospy.db'));
    const source = new SqliteLogSource(dir);
    try {
      await verifyLog(source, trust);
    } finally {
      await source.close();
    }
    expect(readFileSync(join(dir, 'nospy.db')).equals(before)).toBe(true);
  });
});
