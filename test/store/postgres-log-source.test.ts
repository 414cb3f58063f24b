/**
 * The PostgreSQL log as the server's auditor reads it: the whole log verifies, and what only the
 * storage can show (a deleted entry row, a row no signed checkpoint covers, a checkpoint row that
 * contradicts its signed note) is reported as the part that failed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openLog } from '../../src/log/open-log.js';
import { PostgresLogSource } from '../../src/log/verify/postgres-log-source.js';
import { UnverifiedLogError } from '../../src/log/verify/log-source.js';
import { verifyLog } from '../../src/log/verify/verify-log.js';
import { PostgresLogStore } from '../../src/store/postgres/postgres-log-store.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from '../helpers/postgres.js';

const key = generateNoteKey('log.example/pg-source');
const trust = { logKey: key, witnesses: [], quorum: 0 };
const SIZE = 700;

async function verify(url: string): Promise<unknown> {
  const source = await PostgresLogSource.open(url);
  try {
    return await verifyLog(source, trust);
  } finally {
    await source.close();
  }
}

async function failureOf(url: string): Promise<UnverifiedLogError> {
  try {
    await verify(url);
  } catch (error) {
    if (error instanceof UnverifiedLogError) return error;
    throw error;
  }
  throw new Error('expected the log not to verify');
}

describe('the PostgreSQL log source', () => {
  requireTools('postgresql');
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
    const log = await openLog({ store: await PostgresLogStore.open(database.url), signer: key });
    await Promise.all(
      Array.from({ length: SIZE }, (_, i) => log.sequencer.add(Buffer.from(`entry ${i}`))),
    );
    await log.close();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('verifies every entry and tile of an intact log', async () => {
    expect(await verify(database.url)).toMatchObject({ size: SIZE, entryCount: SIZE });
  });

  describe('when an entry row was deleted', () => {
    it('names the entry', async () => {
      await queryDatabase(database.url, 'DELETE FROM log_entries WHERE idx = 300');
      expect((await failureOf(database.url)).failed).toEqual({ part: 'entry', index: 300 });
    });
  });

  describe('when a row lies beyond the signed size', () => {
    it('names the stray entry', async () => {
      await queryDatabase(database.url, "INSERT INTO log_entries (idx, data) VALUES ($1, 'x')", [
        SIZE + 5,
      ]);
      expect((await failureOf(database.url)).failed).toEqual({
        part: 'stray',
        what: `entry ${SIZE + 5}`,
      });
    });
  });

  describe('when the checkpoint row contradicts its signed note', () => {
    it('names the checkpoint', async () => {
      await queryDatabase(database.url, 'UPDATE log_checkpoint SET size = size + 1');
      expect((await failureOf(database.url)).failed).toEqual({ part: 'checkpoint' });
    });
  });

  describe('when the database holds no log', () => {
    it('says so with LOG_UNREACHABLE', async () => {
      const empty = await createTestDatabase();
      try {
        await expect(PostgresLogSource.open(empty.url)).rejects.toMatchObject({
          code: 'LOG_UNREACHABLE',
        });
      } finally {
        await empty.drop();
      }
    });
  });
});
