import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeLogStoreContract } from '../../../test/store/log-store-contract.js';
import { openLog } from '../../log/open-log.js';
import { generateNoteKey } from '../../tlog/note-key.js';
import { DATABASE_FILE } from './database.js';
import { SqliteLogStore } from './sqlite-log-store.js';

describe('the SQLite log store', () => {
  describeLogStoreContract(() => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-store-'));
    return Promise.resolve({
      open: () => Promise.resolve(new SqliteLogStore(dir)),
      remove: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  });

  it('gives no time, never a later one, to entries logged before it kept sign times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-store-'));
    const key = generateNoteKey('log.example/old');
    const append = async (from: number, to: number): Promise<void> => {
      const log = await openLog({ store: new SqliteLogStore(dir), signer: key });
      const adds = [];
      for (let i = from; i < to; i += 1) adds.push(log.sequencer.add(Buffer.from(`e${i}`)));
      await Promise.all(adds);
      await log.close();
    };
    try {
      await append(0, 3);
      // A store from before: the table of sign times did not exist.
      const raw = new Database(join(dir, DATABASE_FILE));
      raw.exec('DROP TABLE log_checkpoint_times');
      raw.close();
      await append(3, 4);
      const store = new SqliteLogStore(dir);
      const times = await store.loggedTimes([0, 2, 3]);
      await store.close();
      expect([...times.keys()]).toEqual([3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
