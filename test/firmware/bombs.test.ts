import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, UnpackBudget, type UnpackLimits } from '../../src/firmware/limits.js';
import { scanFirmware } from '../../src/firmware/scan.js';
import { unpackBytes } from '../../src/firmware/unpack/unpack.js';
import { requireTools } from '../helpers/require-tools.js';
import { cpioNewcMember, squashfs, tarMember, writeTree } from './images.js';

const SMALL: UnpackLimits = {
  ...DEFAULT_LIMITS,
  maxTotalBytes: 8 * 1024 * 1024,
  maxFileBytes: 4 * 1024 * 1024,
  maxRatio: 50,
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nospy-fwbomb-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const reasons = (budget: UnpackBudget): string[] => budget.warnings.map((w) => w.reason);

describe('when a gzip stream expands far beyond its size', () => {
  it('stops at the bound and reports which one, without allocating the whole stream', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const budget = new UnpackBudget({ ...SMALL, maxRatio: 10_000 });
    const result = unpackBytes(bomb, budget, 'bomb');
    expect(reasons(budget)).toEqual(['limit.file_bytes']);
    expect(budget.totalBytes).toBeLessThanOrEqual(SMALL.maxTotalBytes);
    expect(result.carves).toEqual([{ offset: 0, type: 'gzip', size: bomb.length }]);
  });

  it('reports the expansion ratio when that is the bound hit first', () => {
    const bomb = gzipSync(Buffer.alloc(3 * 1024 * 1024));
    const budget = new UnpackBudget({ ...SMALL, maxRatio: 2 });
    unpackBytes(bomb, budget, 'bomb');
    expect(reasons(budget)).toEqual(['limit.ratio']);
  });
});

describe('when containers nest deeper than the depth limit', () => {
  it('keeps the innermost level as a blob and says so', () => {
    let image = tarMember('etc/passwd', Buffer.from('root:x:0:0::/root:/bin/sh\n'));
    for (let i = 0; i < 12; i += 1) image = gzipSync(image);
    const budget = new UnpackBudget({ ...DEFAULT_LIMITS, maxDepth: 4 });
    const result = unpackBytes(image, budget, 'nest');
    expect(reasons(budget)).toEqual(['limit.depth']);
    expect(result.carves).toHaveLength(5);
  });
});

describe('when a tar names members outside its root', () => {
  it('rejects them, reports each, and keeps the members that are inside', () => {
    const image = Buffer.concat([
      tarMember('../../etc/cron.d/evil', Buffer.from('* * * * * root nc -l -p 1 -e /bin/sh\n')),
      tarMember('/../../tmp/escape', Buffer.from('x')),
      tarMember('etc/ok', Buffer.from('fine')),
      tarMember('etc/link', Buffer.alloc(0), '2'),
      Buffer.alloc(1024),
    ]);
    const budget = new UnpackBudget(DEFAULT_LIMITS);
    const { tree } = unpackBytes(image, budget, 'trav');
    expect(reasons(budget)).toEqual(['path_traversal', 'path_traversal']);
    expect(
      tree
        .entries()
        .map((e) => e.path)
        .sort(),
    ).toEqual(['/etc/link', '/etc/ok']);
  });

  it('writes nothing to disk while scanning it', () => {
    const file = join(work, 'trav.tar');
    writeFileSync(
      file,
      Buffer.concat([tarMember('../escape', Buffer.from('x')), Buffer.alloc(1024)]),
    );
    const before = readdirSync(work).sort();
    const report = scanFirmware(file);
    expect(report.warnings.map((w) => w.reason)).toEqual(['path_traversal']);
    expect(readdirSync(work).sort()).toEqual(before);
  });
});

describe('when a cpio member claims an absurd size', () => {
  it('reports the truncation and keeps the members before it', () => {
    const image = Buffer.concat([
      cpioNewcMember('etc/ok', 0o100644, 4, Buffer.from('fine')),
      cpioNewcMember('etc/huge', 0o100644, 0xffffffff, Buffer.from('tiny')),
      cpioNewcMember('TRAILER!!!', 0, 0, Buffer.alloc(0)),
    ]);
    const budget = new UnpackBudget(DEFAULT_LIMITS);
    const { tree } = unpackBytes(image, budget, 'cpio');
    expect(reasons(budget)).toEqual(['truncated']);
    expect(budget.warnings[0]?.detail).toContain('etc/huge claims 4294967295 bytes');
    expect(tree.entries().map((e) => e.path)).toEqual(['/etc/ok']);
  });

  it('refuses a member larger than the per-file bound even when the bytes are there', () => {
    const data = Buffer.alloc(2 * 1024 * 1024, 0x41);
    const image = Buffer.concat([
      cpioNewcMember('big', 0o100644, data.length, data),
      cpioNewcMember('TRAILER!!!', 0, 0, Buffer.alloc(0)),
    ]);
    const budget = new UnpackBudget({ ...DEFAULT_LIMITS, maxFileBytes: 1024 * 1024 });
    unpackBytes(image, budget, 'cpio');
    expect(reasons(budget)).toEqual(['limit.file_bytes']);
  });
});

describe('when an archive holds more files than allowed', () => {
  it('stops at the file-count bound', () => {
    const members = Array.from({ length: 50 }, (_, i) => tarMember(`f${i}`, Buffer.from('x')));
    const budget = new UnpackBudget({ ...DEFAULT_LIMITS, maxFiles: 10 });
    const { tree } = unpackBytes(Buffer.concat([...members, Buffer.alloc(1024)]), budget, 'many');
    expect(tree.size).toBe(10);
    expect(reasons(budget).every((r) => r === 'limit.files')).toBe(true);
  });
});

describe('when a squashfs image lists far more bytes than it holds', () => {
  requireTools('mksquashfs');

  const passwd = 'root:x:0:0::/:/bin/sh\n';

  it('refuses the oversized file from its inode, before decoding any block, and keeps the rest', () => {
    const root = writeTree({ '/zeros.bin': Buffer.alloc(48 * 1024 * 1024), '/etc/passwd': passwd });
    try {
      const image = squashfs(root);
      const budget = new UnpackBudget(SMALL);
      const result = unpackBytes(image, budget, 'sq');
      expect(budget.warnings).toEqual([
        {
          reason: 'limit.file_bytes',
          where: 'squashfs@0x0:/zeros.bin',
          detail: expect.stringContaining('not read'),
        },
      ]);
      expect(result.carves.map((c) => c.type)).toEqual(['squashfs']);
      expect(budget.totalBytes).toBe(passwd.length);
      expect(result.tree.read('/etc/passwd')?.toString()).toBe(passwd);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops listing files once their sizes pass the ratio bound, and says so', () => {
    // 3 MiB files of zeros, each under the per-file bound: 24 MiB from a few kilobytes.
    const spec: Record<string, Buffer | string> = { '/etc/passwd': passwd };
    for (let i = 0; i < 8; i += 1) spec[`/z/${i}.bin`] = Buffer.alloc(3 * 1024 * 1024, i + 1);
    const root = writeTree(spec);
    try {
      const image = squashfs(root);
      const budget = new UnpackBudget({ ...SMALL, maxTotalBytes: 64 * 1024 * 1024 });
      unpackBytes(image, budget, 'sq');
      expect(reasons(budget)).toEqual(['limit.ratio']);
      expect(budget.totalBytes).toBeLessThanOrEqual(Math.max(1024 * 1024, image.length * 50));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
