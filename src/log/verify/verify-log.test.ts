import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateNoteKey, KEY_TYPE_COSIGNATURE_V1 } from '../../tlog/note-key.js';
import { entriesPath, tilePath } from '../../tlog/tiles.js';
import { UnverifiedLogError } from './log-source.js';
import { entries, writeTilesCopy } from './test-support.js';
import { tilesDirSource } from './tiles-dir-source.js';
import { verifiedHashReader, verifyLog, type LogTrust } from './verify-log.js';
import { treeRoot } from '../../tlog/tree.js';

const logKey = generateNoteKey('log.example/verify');
const witness = generateNoteKey('witness.example/w1', KEY_TYPE_COSIGNATURE_V1);
const trust: LogTrust = { logKey, witnesses: [witness], quorum: 1 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-verify-log-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Flips one bit of the byte at `offset` of a file of the copy. */
function flip(path: string, offset: number): void {
  const file = join(dir, path);
  const bytes = readFileSync(file);
  bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
}

async function failure(options: Parameters<typeof verifyLog>[2] = {}, t: LogTrust = trust) {
  const error = await verifyLog(tilesDirSource(dir), t, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnverifiedLogError);
  return error as UnverifiedLogError;
}

describe('verifying a log from a copy of its tiles', () => {
  describe('when every part is intact (two tile levels, a partial tile on each)', () => {
    it(
      'verifies every tile and entry and hands each entry over once, in order',
      { timeout: 120_000 },
      async () => {
        const list = entries(70_000);
        const copy = writeTilesCopy(dir, list, logKey, { witnesses: [witness] });
        const seen: Buffer[] = [];
        const verified = await verifyLog(tilesDirSource(dir), trust, {
          keepTiles: true,
          onEntries: (start, batch) => {
            expect(start).toBe(seen.length);
            seen.push(...batch);
          },
        });
        expect(verified.size).toBe(70_000);
        expect(verified.entryCount).toBe(70_000);
        expect(verified.tileCount).toBe(277);
        expect(seen).toEqual(list);
        expect(verified.rootHash.equals(copy.tree.root())).toBe(true);
        // The kept tiles give every earlier root too (what consistency proofs are made from).
        const read = verifiedHashReader(65_536, verified.tiles);
        expect(treeRoot(65_536, read).equals(copy.tree.root(65_536))).toBe(true);
      },
    );
  });

  describe('when an entry was changed', () => {
    it('names its index', async () => {
      writeTilesCopy(dir, entries(300), logKey, { witnesses: [witness] });
      flip(entriesPath(1, 44), 2 + 3);
      const error = await failure();
      expect(error.failed).toEqual({ part: 'entry', index: 256 });
      expect(error.message).toMatch(/entry 256 does not hash to its leaf in tile\/0\/001\.p\/44/);
    });
  });

  describe('when a byte of a full level-0 tile was flipped', () => {
    it('names the tile, not its entries', async () => {
      writeTilesCopy(dir, entries(300), logKey, { witnesses: [witness] });
      flip(tilePath(0, 0), 100);
      const error = await failure();
      expect(error.failed).toEqual({ part: 'tile', path: 'tile/0/000' });
      expect(error.message).toMatch(
        /tile tile\/0\/000 does not hash to hash 0 of tile\/1\/000\.p\/1/,
      );
    });
  });

  describe('when a byte of the partial tile at the right edge was flipped', () => {
    it('finds that the tiles do not give the signed root', async () => {
      writeTilesCopy(dir, entries(300), logKey, { witnesses: [witness] });
      flip(tilePath(0, 1, 44), 0);
      expect((await failure()).failed).toEqual({ part: 'root' });
    });
  });

  describe('when an upper-level tile was changed', () => {
    it('names the tile that does not hash to its parent', { timeout: 120_000 }, async () => {
      writeTilesCopy(dir, entries(70_000), logKey, { witnesses: [witness] });
      flip(tilePath(1, 0), 7);
      expect((await failure()).failed).toEqual({ part: 'tile', path: 'tile/1/000' });
    });
  });

  describe('when an entry bundle is missing', () => {
    it('names the first entry it should hold', async () => {
      writeTilesCopy(dir, entries(600), logKey, { witnesses: [witness] });
      unlinkSync(join(dir, entriesPath(1)));
      const error = await failure();
      expect(error.failed).toEqual({ part: 'entry', index: 256 });
      expect(error.message).toMatch(/tile\/entries\/001 is missing/);
    });
  });

  describe('when the checkpoint is signed by another key', () => {
    it('refuses the checkpoint before reading anything else', async () => {
      writeTilesCopy(dir, entries(10), generateNoteKey('log.example/verify'), {
        witnesses: [witness],
      });
      const error = await failure();
      expect(error.failed).toEqual({ part: 'checkpoint' });
      expect(error.message).toMatch(/no signature by the log key/);
    });
  });

  describe('when the witness quorum did not cosign the checkpoint', () => {
    it('refuses it, saying how many cosignatures were needed', async () => {
      writeTilesCopy(dir, entries(10), logKey);
      const error = await failure();
      expect(error.failed).toEqual({ part: 'checkpoint' });
      expect(error.message).toMatch(/0 valid witness cosignature\(s\), 1 needed/);
    });
  });

  describe('when it is handed an older signed checkpoint of the same log', () => {
    it('verifies that tree from a copy taken later (full tiles where partial ones are gone)', async () => {
      const older = writeTilesCopy(join(dir, 'old'), entries(300), logKey, {
        witnesses: [witness],
      });
      writeTilesCopy(dir, entries(600), logKey, { witnesses: [witness] });
      const verified = await verifyLog(tilesDirSource(dir), trust, { checkpoint: older.note });
      expect(verified.size).toBe(300);
      expect(verified.entryCount).toBe(300);
    });
  });

  describe('when an earlier audit covered a prefix', () => {
    it('reads only the entries after it, and still checks the tree kept the audited root', async () => {
      const before = writeTilesCopy(join(dir, 'old'), entries(1000), logKey);
      writeTilesCopy(dir, entries(1300), logKey, { witnesses: [witness] });
      const audited = { size: 1000, rootHash: before.tree.root() };
      const verified = await verifyLog(tilesDirSource(dir), trust, { audited });
      expect(verified.from).toBe(768);
      expect(verified.entryCount).toBe(1300 - 768);
      const forged = { size: 1000, rootHash: before.tree.root(999) };
      expect((await failure({ audited: forged })).message).toMatch(/below that size was changed/);
    });
  });
});
