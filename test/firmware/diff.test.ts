/**
 * `nospy firmware diff` on image pairs built with the real tools (GNU tar, GNU cpio, gzip,
 * mksquashfs, gcc): every difference named exactly, by path, change and classification.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFirmware } from '../../src/firmware/diff/diff.js';
import { formatDiffReport, type DiffReport } from '../../src/firmware/diff/report.js';
import { DEFAULT_LIMITS } from '../../src/firmware/limits.js';
import { runCli } from '../helpers/run-cli.js';
import { requireTools } from '../helpers/require-tools.js';
import { compile } from './builds.js';
import { writeTree } from './images.js';

// The tree every test packs holds an executable gcc builds.
const haveGcc = requireTools('gcc');
let work: string;
let root = '';
let app: Buffer = Buffer.alloc(0);
let patchedApp: Buffer = Buffer.alloc(0);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nospy-diff-'));
  if (!haveGcc) return;
  app = compile('#include <stdio.h>\nint main(void){puts("router");return 0;}\n', [
    '-Wl,--build-id=0x1111',
  ]);
  patchedApp = compile(
    '#include <stdio.h>\nint main(int c,char**v){puts(c>2?v[2]:"router");return 0;}\n',
    ['-Wl,--build-id=0x1111'],
  );
  root = writeTree({
    '/etc/version': 'Router 3.2\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    '/etc/init.d/rcS': '#!/bin/sh\n/usr/sbin/dropbear -p 22\n',
    '/usr/sbin/dropbear': app,
    '/bin/sh': { symlink: 'busybox' },
  });
  chmodSync(join(root, 'etc/init.d/rcS'), 0o755);
});
afterAll(() => {
  for (const dir of [work, root]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const file = (name: string) => join(work, name);

/** GNU tar of `dir` with every member's time set to `mtime`, in `members` order. */
function tar(dir: string, out: string, mtime: string, extra: string[] = [], members = ['.']) {
  execFileSync('tar', [
    '--format=gnu',
    `--mtime=${mtime}`,
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    ...extra,
    '-C',
    dir,
    '-cf',
    file(out),
    ...members,
  ]);
  return file(out);
}

const summary = (report: DiffReport) =>
  report.files.map((f) => `${f.change} ${f.path} ${f.classification ?? '-'}`);

/** Every directory and file of the test tree, as the diff names them. */
const ALL = [
  '/bin',
  '/bin/sh',
  '/etc',
  '/etc/init.d',
  '/etc/init.d/rcS',
  '/etc/passwd',
  '/etc/version',
  '/usr',
  '/usr/sbin',
  '/usr/sbin/dropbear',
];

describe('when the same tree is packed twice with different timestamps (tar --mtime)', () => {
  it('says the digests differ but every member differs in timestamps only', () => {
    const a = tar(root, 'a.tar', '2026-01-01 00:00Z');
    const b = tar(root, 'b.tar', '2026-02-01 00:00Z');
    const outcome = diffFirmware(a, b);
    expect(outcome.a.sha256).not.toBe(outcome.b.sha256);
    expect(outcome.report.equivalent).toBe(true);
    expect(summary(outcome.report)).toEqual(ALL.map((p) => `metadata ${p} timestamps`));
    const version = outcome.report.files.find((f) => f.path === '/etc/version');
    expect(version?.a).toEqual(version?.b);
    expect(version?.a).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 11 });
    expect(outcome.report.indicators).toEqual({ onlyInA: [], onlyInB: [] });
  });

  it('looks inside gzip and names the gzip header time too', () => {
    const a = tar(root, 'a2.tar', '2026-01-01 00:00Z');
    const b = tar(root, 'b2.tar', '2026-02-01 00:00Z');
    utimesSync(a, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    utimesSync(b, new Date('2026-02-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
    execFileSync('gzip', ['-f', a, b]); // gzip records each file's mtime in its header
    const outcome = diffFirmware(`${a}.gz`, `${b}.gz`);
    expect(outcome.a.format).toBe('gzip/tar');
    expect(outcome.report.equivalent).toBe(true);
    expect(summary(outcome.report)).toEqual([
      ...ALL.map((p) => `metadata ${p} timestamps`),
      // The tar stream inside differs by its member headers, named above.
      'metadata gzip@0x0 timestamps',
    ]);
  });
});

describe('when a cpio archive is packed twice with different timestamps (GNU cpio, newc)', () => {
  requireTools('cpio');
  it('names each member whose time differs', () => {
    const copy = file('cpio-tree');
    cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
    const pack = (out: string, time: string) => {
      execFileSync('touch', ['-h', '-d', time, join(copy, 'etc/version')]);
      execFileSync(
        'sh',
        ['-c', `find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet > ${file(out)}`],
        {
          cwd: copy,
        },
      );
      return file(out);
    };
    const outcome = diffFirmware(
      pack('a.cpio', '2026-01-01 00:00Z'),
      pack('b.cpio', '2026-03-01 00:00Z'),
    );
    expect(outcome.a.format).toBe('cpio');
    expect(summary(outcome.report)).toEqual(['metadata /etc/version timestamps']);
    expect(outcome.report.equivalent).toBe(true);
  });
});

describe('when mksquashfs packs the tree twice at different times', () => {
  requireTools('mksquashfs');
  it('names the file-system creation time and the file whose time changed', () => {
    const copy = file('sqfs-tree');
    cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
    const pack = (out: string, epoch: number, versionTime: string) => {
      execFileSync('touch', ['-d', versionTime, join(copy, 'etc/version')]);
      execFileSync('mksquashfs', [
        copy,
        file(out),
        '-noappend',
        '-quiet',
        '-no-progress',
        '-mkfs-time',
        String(epoch),
        '-root-time',
        '0',
      ]);
      return file(out);
    };
    const a = pack('a.sqfs', 1_767_225_600, '2026-01-01 00:00Z');
    const b = pack('b.sqfs', 1_769_904_000, '2026-02-01 00:00Z');
    const outcome = diffFirmware(a, b);
    expect(outcome.a.format).toBe('squashfs');
    expect(outcome.report.equivalent).toBe(true);
    expect(summary(outcome.report)).toEqual([
      'metadata /etc/version timestamps',
      'metadata squashfs@0x0 timestamps',
    ]);
  });
});

describe('when one executable was built from other code', () => {
  it('names that file alone, as a content change, with both digests', () => {
    const other = file('changed-tree');
    cpSync(root, other, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(other, 'usr/sbin/dropbear'), patchedApp);
    const outcome = diffFirmware(
      tar(root, 'c1.tar', '2026-01-01 00:00Z'),
      tar(other, 'c2.tar', '2026-01-01 00:00Z'),
    );
    expect(outcome.report.equivalent).toBe(false);
    expect(summary(outcome.report)).toEqual(['content /usr/sbin/dropbear content']);
    expect(outcome.report.files[0]?.a?.size).toBe(app.length);
    expect(outcome.report.files[0]?.b?.size).toBe(patchedApp.length);
    expect(outcome.notes.get('/usr/sbin/dropbear')).toMatch(/^ELF sections differ: .*\.text/);
  });

  it('calls a rebuild with another linker build id a build-id change', () => {
    const other = file('build-id-tree');
    cpSync(root, other, { recursive: true, verbatimSymlinks: true });
    writeFileSync(
      join(other, 'usr/sbin/dropbear'),
      compile('#include <stdio.h>\nint main(void){puts("router");return 0;}\n', [
        '-Wl,--build-id=0x2222',
      ]),
    );
    const outcome = diffFirmware(
      tar(root, 'i1.tar', '2026-01-01 00:00Z'),
      tar(other, 'i2.tar', '2026-01-01 00:00Z'),
    );
    expect(summary(outcome.report)).toEqual(['content /usr/sbin/dropbear build-id']);
    // Its bytes changed: equivalence is every file's bytes, whatever explains the change.
    expect(outcome.report.equivalent).toBe(false);
  });
});

describe('when the released image has one file more', () => {
  it('names the added file and the indicator it brings', () => {
    const other = file('added-tree');
    cpSync(root, other, { recursive: true, verbatimSymlinks: true });
    writeFileSync(
      join(other, 'etc/init.d/S99support'),
      '#!/bin/sh\ntelnetd -l /bin/sh -p 2323 &\n',
    );
    const outcome = diffFirmware(
      tar(root, 'd1.tar', '2026-01-01 00:00Z'),
      tar(other, 'd2.tar', '2026-01-01 00:00Z'),
    );
    expect(summary(outcome.report)).toEqual(['added /etc/init.d/S99support -']);
    expect(outcome.report.files[0]).toMatchObject({ a: null, b: { size: 39 } });
    expect(outcome.report.indicators.onlyInA).toEqual([]);
    expect(outcome.report.indicators.onlyInB.map((i) => [i.rule, i.path, i.port])).toEqual([
      ['FW-SVC-010', '/etc/init.d/S99support', 2323],
    ]);
  });
});

describe('when the same members are archived in another order', () => {
  it('names the archive, with order as the only difference', () => {
    const members = ['./usr', './etc', './bin'];
    const a = tar(root, 'o1.tar', '2026-01-01 00:00Z', [], ['./bin', './etc', './usr']);
    const b = tar(root, 'o2.tar', '2026-01-01 00:00Z', [], members);
    const outcome = diffFirmware(a, b);
    expect(summary(outcome.report)).toEqual(['metadata tar@0x0 order']);
    expect(outcome.report.equivalent).toBe(true);
  });
});

describe('when the owner of the members differs', () => {
  it('says ownership', () => {
    const a = tar(root, 'w1.tar', '2026-01-01 00:00Z');
    const b = tar(root, 'w2.tar', '2026-01-01 00:00Z', ['--owner=1000', '--group=1000']);
    expect(summary(diffFirmware(a, b).report)).toEqual(ALL.map((p) => `metadata ${p} ownership`));
  });
});

describe('when an archive inside the image was rebuilt with other timestamps', () => {
  it('compares it member by member and calls it a metadata change', () => {
    const modules = writeTree({ '/net/wifi.ko': 'module bytes' });
    try {
      const one = file('nested-1');
      const two = file('nested-2');
      for (const [dir, time] of [
        [one, '2026-01-01 00:00Z'],
        [two, '2026-01-02 00:00Z'],
      ] as const) {
        cpSync(root, dir, { recursive: true, verbatimSymlinks: true });
        execFileSync('tar', [
          '--format=gnu',
          `--mtime=${time}`,
          '--owner=0',
          '--group=0',
          '-C',
          modules,
          '-cf',
          join(dir, 'usr/modules.tar'),
          '.',
        ]);
      }
      const outcome = diffFirmware(
        tar(one, 'n1.tar', '2026-01-01 00:00Z'),
        tar(two, 'n2.tar', '2026-01-01 00:00Z'),
      );
      expect(summary(outcome.report)).toEqual([
        'metadata /usr/modules.tar timestamps',
        'metadata /usr/modules.tar!/net timestamps',
        'metadata /usr/modules.tar!/net/wifi.ko timestamps',
      ]);
      expect(outcome.report.equivalent).toBe(true);
    } finally {
      rmSync(modules, { recursive: true, force: true });
    }
  });
});

describe('the command', () => {
  it('exits 0 for equivalent images and prints the report as JSON', async () => {
    const a = tar(root, 'x1.tar', '2026-01-01 00:00Z');
    const b = tar(root, 'x2.tar', '2026-01-05 00:00Z');
    const run = await runCli(['firmware', 'diff', a, b, '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(formatDiffReport(diffFirmware(a, b).report));
    const parsed = JSON.parse(run.stdout) as DiffReport;
    expect(Object.keys(parsed)).toEqual(['equivalent', 'files', 'indicators']);
    expect(Object.keys(parsed.files[0] ?? {})).toEqual([
      'path',
      'change',
      'classification',
      'a',
      'b',
    ]);
    expect(Object.keys(parsed.indicators)).toEqual(['onlyInA', 'onlyInB']);
  });

  it('exits 1 when a file was added, and says NOT equivalent', async () => {
    const other = file('cli-added');
    cpSync(root, other, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(other, 'etc/extra'), 'x\n');
    const run = await runCli(['firmware', 'diff', root, other]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/added +\/etc\/extra/);
    expect(run.stdout).toMatch(/RESULT: NOT equivalent \(1 added/);
  });

  it('exits 0 with nothing to report for the same image twice', async () => {
    const a = tar(root, 'same.tar', '2026-01-01 00:00Z');
    const run = await runCli(['firmware', 'diff', a, a, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      equivalent: true,
      files: [],
      indicators: { onlyInA: [], onlyInB: [] },
    });
  });

  it('exits 2 with FIRMWARE_DIFF_INCOMPLETE when a limit kept part of an image unpacked', async () => {
    const a = tar(root, 'l1.tar', '2026-01-01 00:00Z');
    const b = tar(root, 'l2.tar', '2026-01-02 00:00Z');
    expect(() => diffFirmware(a, b, { limits: { ...DEFAULT_LIMITS, maxFiles: 3 } })).toThrow(
      expect.objectContaining({ code: 'FIRMWARE_DIFF_INCOMPLETE' }),
    );
    const run = await runCli(['firmware', 'diff', a, b], {
      env: { NOSPY_FIRMWARE_MAX_FILES: '3' },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/FIRMWARE_DIFF_INCOMPLETE/);
    expect(run.stderr).toMatch(/limit\.files/);
  });

  it('exits 2 naming an image that cannot be read', async () => {
    const run = await runCli(['firmware', 'diff', file('missing.bin'), root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing\.bin.*FIRMWARE_IMAGE_UNREADABLE/);
  });
});
