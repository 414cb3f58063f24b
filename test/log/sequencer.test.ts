import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { openCheckpoint } from '../../src/tlog/checkpoint.js';
import { leafHash } from '../../src/tlog/hash.js';
import { rootFromLeafHashes } from '../../src/tlog/tree.js';
import { openLog, type OpenLog } from '../../src/log/open-log.js';
import { tempDir } from './helpers.js';

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
