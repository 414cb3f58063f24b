import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/check/index.js';
import { signCheckpoint } from '../../src/tlog/checkpoint.js';
import { generateNoteKey } from '../../src/tlog/note-key.js';
import { runCli } from '../helpers/run-cli.js';
import {
  demoCopy,
  editDatabase,
  EARLY_ENTRY_INDEX,
  forgedRelease,
  removeCopies,
  unloggedImage,
  type DemoCopy,
} from './tamper-support.js';

afterAll(removeCopies);

/** The demo log's signed size (under 256 entries: one partial level-0 tile), read from the copy. */
function signedSize(copy: DemoCopy): number {
  return editDatabase(copy, (db) =>
    db.prepare<[], number>('SELECT size FROM log_checkpoint').pluck().get(),
  ) as number;
}

async function check(copy: DemoCopy, ...extra: string[]) {
  return runCli(['check', '--config', copy.config, '--json', ...extra], { cwd: copy.dir });
}

/** Every tamper case ends the same way: no report, exit 2, the part that failed named. */
async function expectRefused(copy: DemoCopy, named: RegExp): Promise<void> {
  const run = await check(copy);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/CHECK_LOG_UNVERIFIED/);
  expect(run.stderr).toMatch(named);
}

describe('nospy check on a data directory someone tampered with', () => {
  describe('when a row of log_entries is replaced by a vendor-signed release that never went through the witnessed log', () => {
    it('refuses the log naming the entry, where before the fix the firmware-not-logged finding disappeared', async () => {
      const copy = await demoCopy();
      const before = await check(copy);
      expect(before.code).toBe(1);
      const kinds = (JSON.parse(before.stdout) as Report).findings.map(
        (f) => `${f.kind} ${f.subject.device ?? ''}`,
      );
      expect(kinds).toContain('firmware-not-logged globex-r2');
      const release = forgedRelease(copy, unloggedImage(copy));
      const size = signedSize(copy);
      editDatabase(copy, (db) =>
        db.prepare('UPDATE log_entries SET data = ? WHERE idx = ?').run(release, EARLY_ENTRY_INDEX),
      );
      await expectRefused(
        copy,
        new RegExp(
          `entry ${EARLY_ENTRY_INDEX} does not hash to its leaf in tile/0/000\\.p/${size}`,
        ),
      );
    });
  });

  describe('when a row of log_entries is deleted', () => {
    it('names the missing entry', async () => {
      const copy = await demoCopy();
      editDatabase(copy, (db) => db.prepare('DELETE FROM log_entries WHERE idx = 7').run());
      await expectRefused(copy, /entry 7 is missing from log_entries/);
    });
  });

  describe('when a row is injected beyond the signed size', () => {
    it('names the row no checkpoint covers', async () => {
      const copy = await demoCopy();
      const release = forgedRelease(copy, unloggedImage(copy));
      const size = signedSize(copy);
      editDatabase(copy, (db) =>
        db.prepare('INSERT INTO log_entries (idx, data) VALUES (?, ?)').run(size, release),
      );
      await expectRefused(
        copy,
        new RegExp(`log_entries holds a row at index ${size}, beyond the signed size ${size}`),
      );
    });
  });

  describe('when the checkpoint row says a larger size than its signed note', () => {
    it('refuses the row', async () => {
      const copy = await demoCopy();
      const size = signedSize(copy);
      editDatabase(copy, (db) => db.prepare('UPDATE log_checkpoint SET size = size + 1').run());
      await expectRefused(
        copy,
        new RegExp(
          `the log_checkpoint row says size ${size + 1}, but its signed note says size ${size}`,
        ),
      );
    });
  });

  describe('when a byte of a tile is flipped', () => {
    it('finds that the tiles do not give the signed root', async () => {
      const copy = await demoCopy();
      const size = signedSize(copy);
      editDatabase(copy, (db) => {
        const tile = db
          .prepare<[], Buffer>('SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 0')
          .pluck()
          .get() as Buffer;
        tile[40] = (tile[40] ?? 0) ^ 0x80;
        db.prepare('UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 0').run(tile);
      });
      await expectRefused(
        copy,
        new RegExp(`the tiles give the root .* for size ${size}, but the checkpoint says`),
      );
    });
  });

  describe('when an entry and its leaf hash are both replaced', () => {
    it('finds that the tiles no longer give the signed root', async () => {
      const copy = await demoCopy();
      const release = forgedRelease(copy, unloggedImage(copy));
      const size = signedSize(copy);
      const { leafHash } = await import('../../src/tlog/hash.js');
      editDatabase(copy, (db) => {
        db.prepare('UPDATE log_entries SET data = ? WHERE idx = ?').run(release, EARLY_ENTRY_INDEX);
        const tile = db
          .prepare<[], Buffer>('SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 0')
          .pluck()
          .get() as Buffer;
        leafHash(release).copy(tile, EARLY_ENTRY_INDEX * 32);
        db.prepare('UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 0').run(tile);
      });
      await expectRefused(copy, new RegExp(`the tiles give the root .* for size ${size}`));
    });
  });

  describe('when the checkpoint row is replaced by one signed by another key of the same name', () => {
    it('refuses the checkpoint', async () => {
      const copy = await demoCopy();
      const impostor = generateNoteKey('log.albion.example');
      editDatabase(copy, (db) => {
        const row = db
          .prepare<[], { size: number; root_hash: Buffer }>(
            'SELECT size, root_hash FROM log_checkpoint',
          )
          .get();
        if (row === undefined) throw new Error('no checkpoint');
        const note = signCheckpoint(
          { origin: impostor.name, size: row.size, rootHash: row.root_hash, extensions: [] },
          impostor,
        );
        db.prepare('UPDATE log_checkpoint SET note = ?, cosigned_note = NULL').run(note);
      });
      await expectRefused(
        copy,
        /the checkpoint does not verify against the trust file: the note has no signature by a known key/,
      );
    });
  });

  describe('when the witness cosignature is missing and the trust file asks a quorum of 1', () => {
    it('refuses the checkpoint, saying how many were needed', async () => {
      const copy = await demoCopy();
      editDatabase(copy, (db) =>
        db.prepare('UPDATE log_checkpoint SET cosigned_note = NULL').run(),
      );
      await expectRefused(copy, /0 valid witness cosignature\(s\), 1 needed/);
    });
  });

  describe('when pages of the database file are damaged', () => {
    it('refuses the log whether SQLite notices or the hashes do', async () => {
      for (const damage of ['entry bytes', 'a whole page'] as const) {
        const copy = await demoCopy();
        editDatabase(copy, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
        const bytes = readFileSync(copy.db);
        if (damage === 'entry bytes') {
          // Inside the entries' payloads: SQLite reads them happily, only their hashes can tell.
          for (
            let at = bytes.indexOf('"payload":"');
            at >= 0;
            at = bytes.indexOf('"payload":"', at + 1)
          ) {
            bytes[at + 40] = bytes[at + 40] === 0x41 ? 0x42 : 0x41;
          }
        } else {
          bytes.fill(0x5a, 4096 * 2, 4096 * 3);
        }
        writeFileSync(copy.db, bytes);
        const run = await check(copy);
        expect(run.stdout, damage).toBe('');
        expect(run.code, damage).toBe(2);
        expect(run.stderr, damage).toMatch(
          /does not hash to its leaf|cannot be read|malformed|does not verify/,
        );
      }
    });
  });

  describe('when the trust file names no log key', () => {
    it('refuses to read the log, saying what to add', async () => {
      const copy = await demoCopy();
      const trust = join(copy.data, 'trust.yaml');
      writeFileSync(
        trust,
        readFileSync(trust, 'utf8')
          .split('\n')
          .filter((line) => !line.startsWith('log:'))
          .join('\n'),
      );
      const run = await check(copy);
      expect(run.stdout).toBe('');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/CHECK_INPUT_MISSING/);
      expect(run.stderr).toMatch(/add `log: \{ key: "<the log's verifier key>" \}`/);
    });
  });
});
