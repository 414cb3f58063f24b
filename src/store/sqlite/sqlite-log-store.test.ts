import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leafHash } from '../../tlog/hash.js';
import { generateNoteKey } from '../../tlog/note-key.js';
import { openLog } from '../../log/open-log.js';
import { SqliteLogStore } from './sqlite-log-store.js';

const key = generateNoteKey('log.example/store');
const entry = (i: number) => Buffer.from(`entry ${i}`);
let dir: string;
const stores: SqliteLogStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-store-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function openStore(): SqliteLogStore {
  const store = new SqliteLogStore(dir);
  stores.push(store);
  return store;
}

async function append(from: number, to: number): Promise<void> {
  const log = await openLog({ dataDir: dir, signer: key });
  try {
    await Promise.all(
      Array.from({ length: to - from }, (_, i) => log.sequencer.add(entry(from + i))),
    );
  } finally {
    await log.close();
  }
}

describe('the SQLite log store', () => {
  describe('when it is opened on a log written before', () => {
    it('finds every leaf hash at its index from the level-0 tiles, and nothing else', async () => {
      await append(0, 600);
      const store = openStore();
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
  });

  describe('when another writer appends to the same database', () => {
    it('finds the leaves it appended on the next lookup', async () => {
      await append(0, 10);
      const store = openStore();
      expect((await store.findLeaves([leafHash(entry(300))])).size).toBe(0);
      await append(10, 400);
      const found = await store.findLeaves([leafHash(entry(300)), leafHash(entry(5))]);
      expect([...found.values()].sort((a, b) => a - b)).toEqual([5, 300]);
    });
  });

  it('refuses a batch whose leaves do not follow its size, and writes nothing', async () => {
    await append(0, 3);
    const store = openStore();
    const before = await store.latestCheckpoint();
    await expect(
      store.integrate({
        fromSize: 3,
        leaves: [{ index: 4, leafHash: leafHash(entry(9)), entry: entry(9) }],
        tiles: [],
        checkpoint: { size: 4, rootHash: Buffer.alloc(32), note: 'never signed' },
      }),
    ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    expect(await store.latestCheckpoint()).toEqual(before);
  });
});
