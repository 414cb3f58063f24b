/**
 * The contract every log store adapter keeps (src/store/log-store-port.ts), as one suite that
 * each adapter's test file runs against a real store: the embedded SQLite database beside its
 * module, PostgreSQL in test/store/. An adapter passes when the sequencer cannot tell it apart
 * from the others.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogStorePort, StatementIndexRow } from '../../src/store/log-store-port.js';
import { leafHash } from '../../src/tlog/hash.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openLog } from '../../src/log/open-log.js';

/** One empty log location for one test: every `open` connects anew to the same log. */
export interface LogStoreLocation {
  open(): Promise<LogStorePort>;
  /** Removes the location (its directory, its database). */
  remove(): Promise<void>;
}

const key = generateNoteKey('log.example/store');
const entry = (i: number) => Buffer.from(`entry ${i}`);

const statement = (index: number, fields: Partial<StatementIndexRow> = {}): StatementIndexRow => ({
  index,
  type: 'release',
  vendor: 'acme',
  subjects: [`sha256:${index.toString(16).padStart(64, '0')}`],
  ...fields,
});

/**
 * Declares the contract's tests for one adapter. `create` makes a fresh location per test; call
 * it inside a `describe` whose tools (requireTools) are already declared.
 */
export function describeLogStoreContract(create: () => Promise<LogStoreLocation>): void {
  let location: LogStoreLocation;
  const opened: LogStorePort[] = [];

  beforeEach(async () => {
    location = await create();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await location.remove();
  });

  async function openStore(): Promise<LogStorePort> {
    const store = await location.open();
    opened.push(store);
    return store;
  }

  /** Appends entries [from, to) through a whole log (sequencer and all), then closes it. */
  async function append(from: number, to: number): Promise<void> {
    const log = await openLog({ store: await location.open(), signer: key });
    try {
      await Promise.all(
        Array.from({ length: to - from }, (_, i) => log.sequencer.add(entry(from + i))),
      );
    } finally {
      await log.close();
    }
  }

  describe('when it is empty', () => {
    it('has no checkpoint, no tiles, no entries and no statements', async () => {
      const store = await openStore();
      expect(await store.latestCheckpoint()).toBeUndefined();
      expect(await store.readTile(0, 0)).toBeUndefined();
      expect(await store.readEntries(0, 10)).toEqual([]);
      expect(await store.statementIndexSize()).toBe(0);
      expect((await store.findLeaves([leafHash(entry(0))])).size).toBe(0);
    });

    it('records the first identity claimed and returns it to every later claim', async () => {
      const store = await openStore();
      const first = { origin: 'log.example/a', vkey: 'log.example/a+00000000+AAAA' };
      expect(await store.claimIdentity(first)).toEqual(first);
      const again = await openStore();
      expect(
        await again.claimIdentity({ origin: 'log.example/b', vkey: 'log.example/b+1+BBBB' }),
      ).toEqual(first);
    });
  });

  describe('when it is opened on a log written before', () => {
    it('finds every leaf hash at its index from the level-0 tiles, and nothing else', async () => {
      await append(0, 600);
      const store = await openStore();
      const found = await store.findLeaves([
        leafHash(entry(0)),
        leafHash(entry(257)),
        leafHash(entry(599)),
        leafHash(entry(600)),
        Buffer.from('not a 32-byte hash'),
      ]);
      expect([...found.values()].sort((a, b) => a - b)).toEqual([0, 257, 599]);
      expect(found.get(leafHash(entry(257)).toString('latin1'))).toBe(257);
    });

    it('returns the entries in order, fewer at the end of the log', async () => {
      await append(0, 300);
      const store = await openStore();
      const entries = await store.readEntries(250, 100);
      expect(entries).toHaveLength(50);
      // The sequencer orders a concurrent batch as it likes; every entry is there once.
      const texts = new Set((await store.readEntries(0, 300)).map((e) => e.toString()));
      expect(texts.size).toBe(300);
      expect(texts.has('entry 299')).toBe(true);
      expect((await store.readTile(0, 0))?.length).toBe(256 * 32);
      expect((await store.readTile(0, 1))?.length).toBe(44 * 32);
      expect((await store.latestCheckpoint())?.size).toBe(300);
    });
  });

  describe('when another writer appends to the same log', () => {
    it('finds the leaves it appended on the next lookup', async () => {
      await append(0, 10);
      const store = await openStore();
      expect((await store.findLeaves([leafHash(entry(300))])).size).toBe(0);
      await append(10, 400);
      const found = await store.findLeaves([leafHash(entry(300)), leafHash(entry(5))]);
      expect([...found.values()].sort((a, b) => a - b)).toEqual([5, 300]);
    });

    it('refuses a batch built on a size the log has moved past, and writes nothing', async () => {
      await append(0, 3);
      const store = await openStore();
      const before = await store.latestCheckpoint();
      await expect(
        store.integrate({
          fromSize: 2,
          leaves: [{ index: 2, leafHash: leafHash(entry(9)), entry: entry(9) }],
          tiles: [],
          checkpoint: { size: 3, rootHash: Buffer.alloc(32), note: 'never signed' },
          signTimes: [],
        }),
      ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect(await store.latestCheckpoint()).toEqual(before);
      expect(await store.readEntries(0, 10)).toHaveLength(3);
    });
  });

  it('refuses a batch whose leaves do not follow its size, and writes nothing', async () => {
    await append(0, 3);
    const store = await openStore();
    const before = await store.latestCheckpoint();
    await expect(
      store.integrate({
        fromSize: 3,
        leaves: [{ index: 4, leafHash: leafHash(entry(9)), entry: entry(9) }],
        tiles: [],
        checkpoint: { size: 4, rootHash: Buffer.alloc(32), note: 'never signed' },
        signTimes: [],
      }),
    ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    expect(await store.latestCheckpoint()).toEqual(before);
  });

  it('tells when each entry was logged: the sign time of the first checkpoint covering it', async () => {
    const t0 = Date.now();
    await append(0, 3);
    const t1 = Date.now();
    await append(3, 5);
    const t2 = Date.now();
    const store = await openStore();
    const times = await store.loggedTimes([0, 2, 3, 4, 5, 99]);
    const at = (i: number) => times.get(i) ?? Number.NaN;
    for (const i of [0, 2]) expect(at(i)).toBeGreaterThanOrEqual(t0);
    for (const i of [0, 2]) expect(at(i)).toBeLessThanOrEqual(t1);
    for (const i of [3, 4]) expect(at(i)).toBeGreaterThanOrEqual(t1);
    for (const i of [3, 4]) expect(at(i)).toBeLessThanOrEqual(t2);
    expect(at(0)).toBeLessThanOrEqual(at(2));
    // Not in the log (yet): no time rather than a guess.
    expect(times.has(5)).toBe(false);
    expect(times.has(99)).toBe(false);
  });

  it('attaches cosignatures only to the checkpoint that is still the latest', async () => {
    await append(0, 2);
    const store = await openStore();
    const latest = await store.latestCheckpoint();
    await store.saveCosignedCheckpoint(1, 'stale cosigned note');
    expect((await store.latestCheckpoint())?.cosignedNote).toBeUndefined();
    await store.saveCosignedCheckpoint(2, `${latest?.note ?? ''}\n— witness sig`);
    expect((await store.latestCheckpoint())?.cosignedNote).toContain('— witness sig');
  });

  describe('the statement index', () => {
    it('finds statements by type, vendor, subject and payload, and links a payload seen again', async () => {
      const store = await openStore();
      await store.indexStatements(0, 5, [
        statement(0, { payload: 'aa' }),
        statement(2, { type: 'access', vendor: undefined, subjects: [] }),
        statement(3, { vendor: 'other', subjects: ['sha256:b', 'sha256:a'] }),
        statement(4, { payload: 'aa' }),
      ]);
      expect(await store.statementIndexSize()).toBe(5);
      const indexes = async (query: Parameters<LogStorePort['findStatements']>[0]) =>
        (await store.findStatements(query)).map((row) => row.index);
      expect(await indexes({ below: 5, limit: 10 })).toEqual([0, 2, 3, 4]);
      expect(await indexes({ below: 4, limit: 10 })).toEqual([0, 2, 3]);
      expect(await indexes({ from: 2, below: 5, limit: 2 })).toEqual([2, 3]);
      expect(await indexes({ type: 'access', below: 5, limit: 10 })).toEqual([2]);
      expect(await indexes({ vendor: 'other', below: 5, limit: 10 })).toEqual([3]);
      expect(await indexes({ subject: 'sha256:a', below: 5, limit: 10 })).toEqual([3]);
      expect(await indexes({ payload: 'aa', below: 5, limit: 10 })).toEqual([0, 4]);
      expect(await store.statementAt(3)).toEqual({
        index: 3,
        type: 'release',
        vendor: 'other',
        subjects: ['sha256:a', 'sha256:b'],
      });
      expect(await store.statementAt(2)).toEqual({
        index: 2,
        type: 'access',
        vendor: undefined,
        subjects: [],
      });
      expect(await store.statementAt(4)).toMatchObject({ payload: 'aa', extends: 0 });
      expect(await store.statementAt(1)).toBeUndefined();
    });

    it('refuses rows from a size the index is not at, and keeps what it had', async () => {
      const store = await openStore();
      await store.indexStatements(0, 2, [statement(1)]);
      await expect(store.indexStatements(0, 3, [statement(2)])).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      expect(await store.statementIndexSize()).toBe(2);
      expect(await store.statementAt(2)).toBeUndefined();
    });
  });

  describe('when it is closed', () => {
    it('refuses reads and writes with STORE_IO', async () => {
      const store = await location.open();
      await store.close();
      await store.close();
      await expect(store.latestCheckpoint()).rejects.toMatchObject({ code: 'STORE_IO' });
      await expect(
        store.integrate({
          fromSize: 0,
          leaves: [],
          tiles: [],
          checkpoint: { size: 0, rootHash: Buffer.alloc(32), note: '' },
          signTimes: [],
        }),
      ).rejects.toMatchObject({ code: 'STORE_IO' });
    });
  });
}
