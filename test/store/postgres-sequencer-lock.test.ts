/**
 * The sequencer election on real PostgreSQL: one session holds the advisory lock at a time, and a
 * holder whose session ends (as when its process is killed) loses it, is told so, and another
 * takes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresSequencerLock } from '../../src/store/postgres/sequencer-lock.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from '../helpers/postgres.js';

describe('the PostgreSQL sequencer lock', () => {
  requireTools('postgresql');
  let database: TestDatabase;
  const locks: PostgresSequencerLock[] = [];
  const lock = () => {
    const made = new PostgresSequencerLock(database.url);
    locks.push(made);
    return made;
  };

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const held of locks.splice(0)) await held.release();
    await database.drop();
  });

  it('is held by one replica at a time', async () => {
    const first = lock();
    const second = lock();
    expect(await first.tryAcquire(() => undefined)).toBe(true);
    expect(await second.tryAcquire(() => undefined)).toBe(false);
    expect(await first.check()).toBe(true);
    await first.release();
    expect(await second.tryAcquire(() => undefined)).toBe(true);
  });

  describe("when the holder's session ends", () => {
    it('tells the holder it lost the lock, and another replica takes it', async () => {
      const holder = lock();
      let lost = 0;
      expect(
        await holder.tryAcquire(() => {
          lost += 1;
        }),
      ).toBe(true);
      // What PostgreSQL does when the holder's process dies: its backend goes away.
      await queryDatabase(
        database.url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nospy sequencer lock'",
      );
      const other = lock();
      let taken = false;
      for (let i = 0; i < 50 && !taken; i += 1) {
        taken = await other.tryAcquire(() => undefined);
        if (!taken) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(taken).toBe(true);
      expect(await holder.check()).toBe(false);
      expect(lost).toBe(1);
      expect(holder.held).toBe(false);
    });
  });
});
