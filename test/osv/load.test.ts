import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAdvisoryIndex } from '../../src/osv/advisory-index.js';
import { loadOsvSources } from '../../src/osv/load.js';
import { matchPackage, queryOfPurlText } from '../../src/osv/match.js';
import { buildZip } from './zip-builder.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/osv/${name}`, import.meta.url)));

describe('loading OSV sources', () => {
  describe('from a per-ecosystem all.zip built in the test', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-osv-zip-'));
    const zip = join(dir, 'all.zip');
    writeFileSync(
      zip,
      buildZip([
        { name: 'USN-5179-1.json', data: fixture('ubuntu/USN-5179-1.json') },
        {
          name: 'UBUNTU-CVE-2022-28391.json',
          data: fixture('ubuntu/UBUNTU-CVE-2022-28391.json'),
          method: 'store',
        },
        { name: 'OSV-2022-6.yaml', data: fixture('oss-fuzz/OSV-2022-6.yaml') },
        { name: 'README.txt', data: 'not a record' },
        { name: 'notes.json', data: '{"title": "release notes"}' },
        {
          name: 'broken.json',
          data: '{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"fixed": "1.0.0"}]}]}]}',
        },
        { name: 'garbage.json', data: '{not json' },
      ]),
    );
    const loaded = loadOsvSources([zip]);

    it('reads the records inside, JSON and YAML', () => {
      expect(loaded.records.map((r) => r.id).sort()).toEqual([
        'OSV-2022-6',
        'UBUNTU-CVE-2022-28391',
        'USN-5179-1',
      ]);
    });

    it('skips every entry that is not an OSV record with a warning naming it', () => {
      const warned = loaded.warnings.map((w) => w.file.split('!')[1]);
      expect(warned).toEqual(['README.txt', 'notes.json', 'broken.json', 'garbage.json']);
      expect(loaded.warnings.find((w) => w.file.endsWith('broken.json'))?.message).toContain(
        "/affected/0/ranges/0/events: has no 'introduced' event",
      );
    });

    it('matches the same way as the records read from files', () => {
      const index = buildAdvisoryIndex(loaded.records);
      const { query } = queryOfPurlText('pkg:deb/ubuntu/busybox@1:1.30.1-4ubuntu6.3?distro=focal');
      expect(
        matchPackage(index, query!)
          .map((f) => f.advisory.id)
          .sort(),
      ).toEqual(['UBUNTU-CVE-2022-28391', 'USN-5179-1']);
    });
  });

  describe('from a directory tree', () => {
    it('reads records recursively, skips other files with a warning, and does not follow links', () => {
      const dir = mkdtempSync(join(tmpdir(), 'nospy-osv-dir-'));
      mkdirSync(join(dir, 'Ubuntu', 'deep'), { recursive: true });
      writeFileSync(
        join(dir, 'Ubuntu', 'deep', 'USN-5179-1.json'),
        fixture('ubuntu/USN-5179-1.json'),
      );
      writeFileSync(join(dir, 'Ubuntu', 'list.csv'), 'a,b');
      writeFileSync(join(dir, 'Ubuntu', 'array.json'), '[1, 2]');
      symlinkSync(dir, join(dir, 'Ubuntu', 'loop'));
      const loaded = loadOsvSources([dir]);
      expect(loaded.records.map((r) => r.id)).toEqual(['USN-5179-1']);
      expect(loaded.warnings.map((w) => [w.file.slice(dir.length), w.message])).toEqual([
        ['/Ubuntu/array.json[0]', 'not an OSV record (no id and modified); skipped'],
        ['/Ubuntu/array.json[1]', 'not an OSV record (no id and modified); skipped'],
        ['/Ubuntu/list.csv', 'not a .json/.yaml/.zip file; skipped'],
        ['/Ubuntu/loop', 'symbolic link; not followed'],
      ]);
    });
  });

  describe('when a source does not exist', () => {
    it('fails with OSV_UNREADABLE naming it', () => {
      expect(() => loadOsvSources(['/nonexistent/osv'])).toThrow(
        expect.objectContaining({
          code: 'OSV_UNREADABLE',
          message: expect.stringContaining('/nonexistent/osv'),
        }),
      );
    });
  });
});
