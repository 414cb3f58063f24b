/**
 * Two replicas of one log on real PostgreSQL, in this process: the one holding the sequencer
 * lock sequences, the other queues; an entry gets one index whichever replica it reached, a
 * group lands in one checkpoint, and when the sequencer closes the other takes over from the
 * database's latest signed tree.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLog } from '../../src/log/open-log.js';
import { ReplicatedLog } from '../../src/log/replica/replicated-log.js';
import { PostgresLogStore } from '../../src/store/postgres/postgres-log-store.js';
import { openPostgresPool, type PostgresPool } from '../../src/store/postgres/pool.js';
import { PostgresReplicaSignals } from '../../src/store/postgres/replica-signals.js';
import { PostgresSequencerLock } from '../../src/store/postgres/sequencer-lock.js';
import { PostgresSubmissionQueue } from '../../src/store/postgres/submission-queue.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from '../helpers/postgres.js';

const key = generateNoteKey('replicas.example/log');
const silent = pino({ level: 'silent' });

describe('replicas of a log on PostgreSQL', () => {
  requireTools('postgresql');
  let database: TestDatabase;
  const opened: { log: ReplicatedLog; close: () => Promise<void> }[] = [];

  async function replica(): Promise<ReplicatedLog> {
    const store = await PostgresLogStore.open(database.url);
    const pool: PostgresPool = await openPostgresPool(database.url, { max: 2 });
    const log = await ReplicatedLog.open({
      store,
      lock: new PostgresSequencerLock(database.url),
      queue: new PostgresSubmissionQueue(pool),
      signals: new PostgresReplicaSignals(database.url),
      verifier: key,
      openSequencer: () => openLog({ store, signer: key, logger: silent, keepStoreOpen: true }),
      logger: silent,
      pollMs: 50,
    });
    opened.push({
      log,
      close: async () => {
        await log.close();
        await pool.end();
        await store.close();
      },
    });
    return log;
  }

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const one of opened.splice(0)) await one.close();
    await database.drop();
  });

  it('has one sequencer; the other queues and answers once its checkpoint covers the entry', async () => {
    const first = await replica();
    const second = await replica();
    expect([first.sequencing, second.sequencing]).toEqual([true, false]);
    const queued = await second.add(Buffer.from('through the replica'));
    expect(queued.index).toBe(0);
    expect(second.published.size).toBeGreaterThan(queued.index);
    const rows = await queryDatabase(database.url, 'SELECT id FROM log_submissions');
    // Removed once sequenced (the sequencer's bookkeeping may trail the answer by a moment).
    expect(rows.length).toBeLessThanOrEqual(1);
  });

  it('gives an entry one index whichever replica it reached', async () => {
    const first = await replica();
    const second = await replica();
    const entry = Buffer.from('sent to both replicas');
    const [a, b] = await Promise.all([first.add(entry), second.add(entry)]);
    expect(a.index).toBe(b.index);
    const again = await second.add(entry);
    expect(again.index).toBe(a.index);
    expect(first.published.size).toBe(1);
  });

  it('sequences a group queued on a replica in one checkpoint, in order', async () => {
    await replica();
    const second = await replica();
    const group = ['statement', 'sigstore entry 1', 'sigstore entry 2'].map((s) => Buffer.from(s));
    const answers = await second.addGroup(group);
    expect(answers.map((a) => a.index)).toEqual([0, 1, 2]);
  });

  it('hands the sequencing to the other replica when the sequencer closes', async () => {
    const first = await replica();
    const second = await replica();
    await first.add(Buffer.from('before'));
    const sizeBefore = first.published.size;
    await opened[0]?.close();
    opened.shift();
    const after = await second.add(Buffer.from('after'));
    expect(second.sequencing).toBe(true);
    expect(after.index).toBe(sizeBefore);
    expect(second.published.size).toBe(sizeBefore + 1);
  });
});
