import { fc, test } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { leafHash } from '../../src/tlog/hash.js';
import { rootFromLeafHashes } from '../../src/tlog/tree.js';
import { openLog, type OpenLog } from '../../src/log/open-log.js';
import { StoreError } from '../../src/store/errors.js';
import type { IntegrationBatch } from '../../src/store/log-store-port.js';
import { SqliteLogStore } from '../../src/store/sqlite/sqlite-log-store.js';
import { tempDir } from './helpers.js';
import { PostgresLogStore } from '../../src/store/postgres/postgres-log-store.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase } from '../helpers/postgres.js';
import type { LogStoreLocation } from '../store/log-store-contract.js';

const key = generateNoteKey('log.example/seq');
let temp: ReturnType<typeof tempDir>;
let log: OpenLog | undefined;

beforeEach(() => {
  temp = tempDir('nospy-seq-');
});
afterEach(async () => {
  await log?.close();
  temp.remove();
});

describe('the sequencer', () => {
  describe('when the queue is full', () => {
    it('refuses the entry with LOG_OVERLOADED instead of growing without bound', async () => {
      log = await openLog({ dataDir: temp.dir, signer: key, maxQueuedEntries: 2 });
      const first = log.sequencer.add(Buffer.from('a'));
      const second = log.sequencer.add(Buffer.from('b'));
      await expect(log.sequencer.add(Buffer.from('c'))).rejects.toMatchObject({
        code: 'LOG_OVERLOADED',
      });
      expect((await Promise.all([first, second])).map((r) => r.index)).toEqual([0, 1]);
      expect(log.sequencer.checkpoint.size).toBe(2);
    });
  });

  it('refuses an entry over 65,535 bytes before queueing it', async () => {
    log = await openLog({ dataDir: temp.dir, signer: key });
    await expect(log.sequencer.add(Buffer.alloc(65_536))).rejects.toMatchObject({
      code: 'LOG_ENTRY_TOO_LARGE',
    });
    expect(log.sequencer.queued).toBe(0);
  });

  it('cuts batches at the configured size and still signs one tree over all of them', async () => {
    log = await openLog({ dataDir: temp.dir, signer: key, maxBatchEntries: 7, maxBatchDelayMs: 5 });
    const entries = Array.from({ length: 600 }, (_, i) => Buffer.from(`entry ${i}`));
    const results = await Promise.all(entries.map((e) => log!.sequencer.add(e)));
    expect(results.map((r) => r.index)).toEqual(entries.map((_, i) => i));
    const { checkpoint } = openCheckpoint(log.sequencer.checkpoint.note, key);
    expect(checkpoint.rootHash.equals(rootFromLeafHashes(entries.map((e) => leafHash(e))))).toBe(
      true,
    );
  });

  describe('when it closes with entries still queued', () => {
    it('sequences them all and signs the final checkpoint before it returns', async () => {
      log = await openLog({ dataDir: temp.dir, signer: key, maxBatchEntries: 10 });
      const pending = Array.from({ length: 95 }, (_, i) =>
        log!.sequencer.add(Buffer.from(`late ${i}`)),
      );
      await log.close();
      expect((await Promise.all(pending)).length).toBe(95);
      log = await openLog({ dataDir: temp.dir, signer: key });
      expect(log.sequencer.checkpoint.size).toBe(95);
      await expect(log.sequencer.add(Buffer.from('after'))).resolves.toMatchObject({ index: 95 });
    });
  });
});

describe('de-duplication by leaf hash', () => {
  describe('on the embedded SQLite store', () => {
    describeDeduplication(() => {
      const dir = tempDir('nospy-dedup-');
      return Promise.resolve({
        open: () => Promise.resolve(new SqliteLogStore(dir.dir)),
        remove: () => {
          dir.remove();
          return Promise.resolve();
        },
      });
    });
  });

  describe('on PostgreSQL', () => {
    requireTools('postgresql');
    describeDeduplication(async () => {
      const database = await createTestDatabase();
      return {
        open: () => PostgresLogStore.open(database.url, { max: 4 }),
        remove: () => database.drop(),
      };
    });
  });
});

/** `create`: a fresh, empty store location; every `open` of it connects to the same log. */
function describeDeduplication(create: () => Promise<LogStoreLocation>): void {
  let location: LogStoreLocation | undefined;
  afterEach(async () => {
    await log?.close();
    log = undefined;
    await location?.remove();
    location = undefined;
  });
  const openOn = async (at: LogStoreLocation, maxBatchEntries?: number) =>
    openLog({ store: await at.open(), signer: key, maxBatchEntries });

  it('gives a duplicate in the same batch the index of its first copy', async () => {
    location = await create();
    log = await openOn(location);
    const results = await Promise.all(
      ['a', 'b', 'a', 'c', 'b'].map((e) => log!.sequencer.add(Buffer.from(e))),
    );
    expect(results.map((r) => r.index)).toEqual([0, 1, 0, 2, 1]);
    expect(log.sequencer.checkpoint.size).toBe(3);
  });

  it('gives a duplicate added after a restart the index of its first copy', async () => {
    location = await create();
    log = await openOn(location);
    await Promise.all(['a', 'b', 'c'].map((e) => log!.sequencer.add(Buffer.from(e))));
    await log.close();
    log = await openOn(location);
    await expect(log.sequencer.add(Buffer.from('b'))).resolves.toMatchObject({ index: 1 });
    await expect(log.sequencer.add(Buffer.from('d'))).resolves.toMatchObject({ index: 3 });
    expect(log.sequencer.checkpoint.size).toBe(4);
  });

  test.prop(
    [
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 120 }),
      fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 60 }),
      fc.integer({ min: 1, max: 9 }),
    ],
    { numRuns: 8 },
  )(
    'answers every copy with the index of the first, across batches in flight, durable and in one batch',
    async (firstWave, secondWave, maxBatchEntries) => {
      const at = await create();
      const opened = await openOn(at, maxBatchEntries);
      try {
        const order: number[] = [];
        const expectIndex = (n: number): number => {
          if (!order.includes(n)) order.push(n);
          return order.indexOf(n);
        };
        const add = (n: number) => opened.sequencer.add(Buffer.from(`entry ${n}`));
        // All at once: small batches, two in flight, copies in the same and in earlier batches.
        const first = await Promise.all(firstWave.map(add));
        expect(first.map((r) => r.index)).toEqual(firstWave.map(expectIndex));
        // Then against what is durable.
        const second = await Promise.all(secondWave.map(add));
        expect(second.map((r) => r.index)).toEqual(secondWave.map(expectIndex));
        const { checkpoint } = openCheckpoint(opened.sequencer.checkpoint.note, key);
        expect(checkpoint.size).toBe(order.length);
        const leaves = order.map((n) => leafHash(Buffer.from(`entry ${n}`)));
        expect(checkpoint.rootHash.equals(rootFromLeafHashes(leaves))).toBe(true);
      } finally {
        await opened.close();
        await at.remove();
      }
    },
    60_000,
  );
}

describe('when a batch fails while the next one is already in flight', () => {
  it('rejects both with the cause and sequences what follows from the durable state', async () => {
    const real = new SqliteLogStore(temp.dir);
    let integrations = 0;
    const injected = new StoreError('STORE_IO', 'injected write failure');
    // The real store, except that its second write (the first batch of entries) fails late
    // enough for the following batch to be in flight already. Writes are applied in the order
    // they were made, as the port requires.
    let tail: Promise<unknown> = Promise.resolve();
    const store = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'integrate') {
          return (batch: IntegrationBatch) => {
            integrations += 1;
            const failing = integrations === 2;
            const written = tail.then(() =>
              failing
                ? new Promise<void>((_, reject) => {
                    setTimeout(() => {
                      reject(injected);
                    }, 50);
                  })
                : target.integrate(batch),
            );
            tail = written.catch(() => undefined);
            return written;
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    log = await openLog({ store, signer: key, maxBatchEntries: 4 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => log!.sequencer.add(Buffer.from(`entry ${i}`))),
    );
    expect(
      outcomes.slice(0, 8).map((o) => (o.status === 'rejected' ? (o.reason as unknown) : o)),
    ).toEqual(Array.from({ length: 8 }, () => injected));
    expect(outcomes.slice(8).map((o) => (o.status === 'fulfilled' ? o.value.index : o))).toEqual([
      0, 1, 2, 3,
    ]);
    expect(log.sequencer.checkpoint.size).toBe(4);
    await log.close();
    log = await openLog({ dataDir: temp.dir, signer: key });
    expect(log.sequencer.checkpoint.size).toBe(4);
    await expect(log.sequencer.add(Buffer.from('entry 0'))).resolves.toMatchObject({ index: 4 });
    await expect(log.sequencer.add(Buffer.from('entry 8'))).resolves.toMatchObject({ index: 0 });
  });
});

describe('a group of entries (addGroup)', () => {
  /** The real store, recording the size each batch's checkpoint signs. */
  function recordingStore(dir: string): { store: SqliteLogStore; sizes: number[] } {
    const real = new SqliteLogStore(dir);
    const sizes: number[] = [];
    const store = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'integrate') {
          return (batch: IntegrationBatch) => {
            sizes.push(batch.checkpoint.size);
            return target.integrate(batch);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    return { store, sizes };
  }

  test.prop(
    [
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 5 }),
    ],
    { numRuns: 8 },
  )(
    'lands at consecutive indexes in one batch, never cut by a checkpoint, whatever the batch bound',
    async (groupSizes, maxBatchEntries) => {
      const dir = tempDir('nospy-group-');
      const { store, sizes } = recordingStore(dir.dir);
      const opened = await openLog({ store, signer: key, maxBatchEntries });
      try {
        let n = 0;
        const groups = groupSizes.map((size) =>
          Array.from({ length: size }, () => Buffer.from(`entry ${n++}`)),
        );
        const answers = await Promise.all(
          groups.map((entries) =>
            entries.length === 1
              ? opened.sequencer.add(entries[0] as Buffer).then((one) => [one])
              : opened.sequencer.addGroup(entries),
          ),
        );
        let next = 0;
        for (const [g, answer] of answers.entries()) {
          const first = next;
          expect(answer.map((a) => a.index)).toEqual(
            Array.from({ length: groups[g]?.length ?? 0 }, (_, i) => first + i),
          );
          next += answer.length;
          // No signed size falls strictly inside the group.
          expect(sizes.filter((s) => s > first && s < next)).toEqual([]);
        }
        expect(opened.sequencer.checkpoint.size).toBe(n);
      } finally {
        await opened.close();
        dir.remove();
      }
    },
    60_000,
  );

  it('gives a copy of an entry already logged the index of its first copy and appends the rest', async () => {
    log = await openLog({ dataDir: temp.dir, signer: key });
    await log.sequencer.add(Buffer.from('a'));
    const group = await log.sequencer.addGroup([Buffer.from('b'), Buffer.from('a')]);
    expect(group.map((g) => g.index)).toEqual([1, 0]);
    expect(log.sequencer.checkpoint.size).toBe(2);
  });

  it('refuses the whole group when one entry is over 65,535 bytes, before queueing any', async () => {
    log = await openLog({ dataDir: temp.dir, signer: key });
    await expect(
      log.sequencer.addGroup([Buffer.from('fine'), Buffer.alloc(65_536)]),
    ).rejects.toMatchObject({ code: 'LOG_ENTRY_TOO_LARGE' });
    expect(log.sequencer.queued).toBe(0);
  });
});
