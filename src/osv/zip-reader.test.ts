import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildZip, type ZipEntrySpec } from '../../test/osv/zip-builder.js';
import { DEFAULT_ZIP_LIMITS, readZipEntries, type ZipEntry, type ZipLimits } from './zip-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-zip-'));
let counter = 0;

function zipFile(entries: readonly ZipEntrySpec[]): string {
  counter += 1;
  const path = join(dir, `t${counter}.zip`);
  writeFileSync(path, buildZip(entries));
  return path;
}

function readAll(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  return [...readZipEntries(path, limits)];
}

describe('reading the entries of an OSV zip archive', () => {
  describe('when the archive holds stored and deflated entries', () => {
    it('returns each entry with its exact bytes, in directory order', () => {
      const text = randomBytes(3000).toString('hex');
      const path = zipFile([
        { name: 'a.json', data: '{"id":"A"}', method: 'store' },
        { name: 'dir/b.json', data: text, method: 'deflate' },
      ]);
      const entries = readAll(path);
      expect(entries.map((e) => e.name)).toEqual(['a.json', 'dir/b.json']);
      expect('data' in entries[0]! && entries[0].data.toString()).toBe('{"id":"A"}');
      expect('data' in entries[1]! && entries[1].data.toString()).toBe(text);
    });
  });

  describe('when an entry inflates far beyond its compressed size (a zip bomb)', () => {
    it('skips that entry at the ratio guard and still reads the others', () => {
      const path = zipFile([
        { name: 'bomb.json', data: Buffer.alloc(4 * 1024 * 1024) },
        { name: 'ok.json', data: '{}' },
      ]);
      const entries = readAll(path);
      expect(entries[0]).toMatchObject({
        name: 'bomb.json',
        skipped: expect.stringContaining('zip-bomb'),
      });
      expect(entries[1]).toHaveProperty('data');
    });
  });

  describe('when an entry declares a small size but inflates to more', () => {
    it('stops inflating at the declared size and skips the entry', () => {
      const path = zipFile([{ name: 'liar.json', data: 'y'.repeat(10_000), declaredSize: 10 }]);
      const [entry] = readAll(path, { ...DEFAULT_ZIP_LIMITS, maxRatio: 1_000_000 });
      expect(entry).toMatchObject({
        name: 'liar.json',
        skipped: expect.stringMatching(/inflate|declared/),
      });
    });
  });

  describe('when an entry is larger than the per-entry limit', () => {
    it('skips it naming the limit', () => {
      const path = zipFile([{ name: 'big.json', data: 'z'.repeat(2000), method: 'store' }]);
      const [entry] = readAll(path, { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1000 });
      expect(entry).toMatchObject({ skipped: expect.stringContaining('limit of 1000') });
    });
  });

  describe('when the CRC-32 in the headers is wrong', () => {
    it('skips the entry', () => {
      const path = zipFile([{ name: 'bad.json', data: '{}', crc: 1234 }]);
      expect(readAll(path)[0]).toMatchObject({ skipped: 'CRC-32 does not match' });
    });
  });

  describe('when the archive lists more entries than allowed', () => {
    it('rejects it with OSV_LIMIT', () => {
      const path = zipFile([
        { name: 'a', data: '1' },
        { name: 'b', data: '2' },
      ]);
      expect(() => readAll(path, { ...DEFAULT_ZIP_LIMITS, maxEntries: 1 })).toThrow(
        expect.objectContaining({ code: 'OSV_LIMIT' }),
      );
    });
  });

  describe('when the file is not a zip or is truncated', () => {
    it('rejects it with OSV_ZIP_INVALID naming the file', () => {
      const notZip = join(dir, 'not.zip');
      writeFileSync(notZip, 'hello, I am text');
      expect(() => readAll(notZip)).toThrow(expect.objectContaining({ code: 'OSV_ZIP_INVALID' }));
      const whole = buildZip([{ name: 'a.json', data: '{"x":1}' }]);
      const truncated = join(dir, 'truncated.zip');
      // Drop the first bytes: the directory now points outside the data.
      writeFileSync(truncated, whole.subarray(20));
      expect(() => readAll(truncated)).toThrow(
        expect.objectContaining({ code: 'OSV_ZIP_INVALID' }),
      );
    });
  });

  describe('when the file does not exist', () => {
    it('rejects it with OSV_UNREADABLE', () => {
      expect(() => readAll(join(dir, 'missing.zip'))).toThrow(
        expect.objectContaining({ code: 'OSV_UNREADABLE' }),
      );
    });
  });
});
