/**
 * The planted tree packed by the real tools (mksquashfs with each compressor Debian's
 * squashfs-tools offers, mkfs.jffs2, mkfs.cramfs, zip) must scan exactly like the same tree in a
 * tar: every component and every indicator, field for field, with nothing left unexamined. The
 * native squashfs reader is cross-checked against `unsquashfs`, byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, UnpackBudget } from '../../src/firmware/limits.js';
import { scanFirmware, type FirmwareReport } from '../../src/firmware/scan.js';
import { unpackBytes } from '../../src/firmware/unpack/unpack.js';
import { requireToolsInTest } from '../helpers/require-tools.js';
import {
  pack,
  PACK_TOOLS,
  plantedTree,
  SQUASHFS_COMPRESSORS,
  writeTree,
  type PackFormat,
} from './images.js';

let work: string;
let root: string;
let tarReport: FirmwareReport;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nospy-fwnative-'));
  root = writeTree(plantedTree());
  tarReport = scanPacked('tar-gnu');
});
afterAll(() => {
  for (const dir of [work, root]) rmSync(dir, { recursive: true, force: true });
});

function scanPacked(format: PackFormat): FirmwareReport {
  const file = join(work, `image.${format}`);
  writeFileSync(file, pack(root, format));
  return scanFirmware(file);
}

const FORMATS: readonly [PackFormat, string][] = [
  ...SQUASHFS_COMPRESSORS.map((c): [PackFormat, string] => [`squashfs-${c}`, 'squashfs']),
  ['jffs2', 'jffs2'],
  ['cramfs', 'cramfs'],
  ['zip', 'zip'],
];

describe.each(FORMATS)('the planted tree packed as %s', (format, chain) => {
  it('gives every component and indicator of the same tree in a tar, and nothing unread', (context) => {
    requireToolsInTest(context, ...PACK_TOOLS[format]);
    const report = scanPacked(format);
    expect(report.image.format).toBe(chain);
    expect(report.warnings).toEqual([]);
    expect(report.indicators).toEqual(tarReport.indicators);
    expect(report.components).toEqual(tarReport.components);
    expect(report.backdoor).toBe(true);
  });
});

describe('the native squashfs reader beside unsquashfs', () => {
  it.for(['gzip', 'xz', 'zstd'])(
    'reads every entry of a %s image as unsquashfs extracts it',
    (compressor, context) => {
      requireToolsInTest(context, 'mksquashfs', 'unsquashfs');
      const image = pack(root, `squashfs-${compressor}` as PackFormat);
      const file = join(work, `cross.${compressor}.sqfs`);
      const out = join(work, `cross.${compressor}`);
      writeFileSync(file, image);
      execFileSync('unsquashfs', ['-n', '-no-xattrs', '-d', out, file], { stdio: 'ignore' });
      const budget = new UnpackBudget(DEFAULT_LIMITS);
      const { tree } = unpackBytes(image, budget, 'image');
      expect(budget.warnings).toEqual([]);
      const listed = execFileSync('find', ['.', '-mindepth', '1'], { cwd: out })
        .toString()
        .trim()
        .split('\n')
        .map((p) => p.slice(1))
        .sort();
      expect(
        tree
          .entries()
          .map((e) => e.path)
          .sort(),
      ).toEqual(listed);
      for (const path of listed) {
        const stat = lstatSync(join(out, path));
        const entry = tree.get(path);
        if (stat.isSymbolicLink()) expect(entry?.target).toBe(readlinkSync(join(out, path)));
        else if (stat.isFile())
          expect(tree.read(path)?.equals(readFileSync(join(out, path)))).toBe(true);
        else expect(entry?.type).toBe('dir');
      }
    },
  );
});
