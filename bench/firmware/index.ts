/**
 * bench/firmware: scan a large synthetic firmware tree and compare the rate with the machine's
 * raw read-and-hash rate (`sha256sum` over the same bytes), both measured in this run with a
 * warm page cache. Also scans the same tree packed as one tar image (unpack + image digest), and
 * diffs the tree against a copy of it in which 1% of the files changed (`nospy firmware diff`),
 * beside `sha256sum` of both trees. Goals: the directory scan, and the diff, at least half the
 * raw rate. First, the native squashfs reader beside `unsquashfs` (squashfs.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { diffFirmware } from '../../src/firmware/diff/diff.js';
import { scanFirmware } from '../../src/firmware/scan.js';
import { benchSquashfs } from './squashfs.js';

const TOTAL_MB = Number(process.env.NOSPY_BENCH_FIRMWARE_MB ?? '256');
const FILES = 1600;
const ROUNDS = 2;

/** Deterministic pseudo-random bytes: AES-128-CTR keystream under a fixed key. */
function keystream(length: number, seed: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(seed, 0);
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), iv);
  return cipher.update(Buffer.alloc(length));
}

function buildTree(root: string): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  const perFile = Math.floor((TOTAL_MB * 1024 * 1024) / FILES);
  const dirs = [
    'bin',
    'sbin',
    'usr/bin',
    'usr/sbin',
    'usr/lib',
    'lib/modules',
    'www/cgi-bin',
    'etc/init.d',
    'etc/config',
  ];
  for (const dir of dirs) mkdirSync(join(root, dir), { recursive: true });
  for (let i = 0; i < FILES; i += 1) {
    const dir = dirs[i % dirs.length] ?? 'bin';
    let data: Buffer;
    if (dir.startsWith('etc')) {
      const line = `config option${i} 'value ${i}'\n\toption enabled '1'\n`;
      data = Buffer.from(line.repeat(Math.ceil(4096 / line.length)));
    } else {
      // An ELF-looking binary: header, random body, the strings real binaries carry.
      data = keystream(perFile, i);
      Buffer.from([0x7f, 0x45, 0x4c, 0x46]).copy(data, 0);
      if (i % 50 === 0)
        Buffer.from('\0BusyBox v1.36.1 (2024-01-01) multi-call binary\0').copy(data, perFile >> 1);
      if (i % 70 === 0) Buffer.from('\0OpenSSL 3.0.11 19 Sep 2023\0').copy(data, perFile >> 2);
    }
    const path = join(root, dir, `file${i}`);
    writeFileSync(path, data);
    files.push(path);
    bytes += data.length;
  }
  writeFileSync(join(root, 'etc/init.d/rcS'), '#!/bin/sh\n/usr/sbin/dropbear -p 22\nsyslogd\n');
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(root, 'etc/shadow'), 'root:!:19000:0:99999:7:::\n');
  return { files, bytes };
}

const mbps = (bytes: number, ms: number): number => bytes / 1024 / 1024 / (ms / 1000);

/**
 * A copy of the tree (times and modes kept, as an unpacked image keeps them) in which 1% of the
 * files changed: a few bytes in the middle of each, as a patched binary would.
 */
function changedCopy(root: string, copy: string, files: readonly string[]): string[] {
  execFileSync('cp', ['-a', root, copy]);
  const changed = files.filter((_, i) => i % 100 === 7);
  for (const path of changed) {
    const target = join(copy, path.slice(root.length));
    const data = readFileSync(target);
    data.write('patched', data.length >> 1, 'latin1');
    writeFileSync(target, data);
  }
  return changed;
}

const work = mkdtempSync(join(tmpdir(), 'nospy-bench-fw-'));
try {
  await benchSquashfs(work);
  // NOSPY_BENCH_FIRMWARE_ONLY=squashfs stops here (the tree scan below takes minutes).
  if (process.env.NOSPY_BENCH_FIRMWARE_ONLY === 'squashfs') {
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  }
  const root = join(work, 'rootfs');
  mkdirSync(root);
  const { files, bytes } = buildTree(root);
  for (const file of files) readFileSync(file); // warm the page cache for both measurements

  // The machine is shared: alternate the measurements and keep the best of each, so that a
  // burst of other work does not land on one side only.
  const tar = join(work, 'rootfs.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  readFileSync(tar);
  const copy = join(work, 'rootfs-b');
  const changed = changedCopy(root, copy, files);
  const both = [...files, ...files.map((f) => join(copy, f.slice(root.length)))];
  for (const file of both) readFileSync(file);
  let rawMs = Infinity;
  let scanMs = Infinity;
  let imageMs = Infinity;
  let rawBothMs = Infinity;
  let diffMs = Infinity;
  let diff: ReturnType<typeof diffFirmware> | undefined;
  let report: ReturnType<typeof scanFirmware> | undefined;
  let imageReport: ReturnType<typeof scanFirmware> | undefined;
  for (let round = 0; round < ROUNDS; round += 1) {
    let start = performance.now();
    const hashed = spawnSync('sha256sum', files, { maxBuffer: 64 * 1024 * 1024 });
    rawMs = Math.min(rawMs, performance.now() - start);
    if (hashed.status !== 0) throw new Error(`sha256sum failed: ${hashed.stderr.toString()}`);
    start = performance.now();
    report = scanFirmware(root);
    scanMs = Math.min(scanMs, performance.now() - start);
    start = performance.now();
    imageReport = scanFirmware(tar);
    imageMs = Math.min(imageMs, performance.now() - start);
    start = performance.now();
    const hashedBoth = spawnSync('sha256sum', both, { maxBuffer: 64 * 1024 * 1024 });
    rawBothMs = Math.min(rawBothMs, performance.now() - start);
    if (hashedBoth.status !== 0)
      throw new Error(`sha256sum failed: ${hashedBoth.stderr.toString()}`);
    start = performance.now();
    diff = diffFirmware(root, copy);
    diffMs = Math.min(diffMs, performance.now() - start);
  }
  if (diff === undefined) throw new Error('no rounds ran');
  const differing = diff.report.files.filter((f) => f.change === 'content').length;
  if (differing !== changed.length)
    throw new Error(`the diff names ${differing} changed files, ${changed.length} were changed`);
  if (report === undefined || imageReport === undefined) throw new Error('no rounds ran');

  const raw = mbps(bytes, rawMs);
  const scan = mbps(bytes, scanMs);
  const image = mbps(imageReport.image.size, imageMs);
  const out = process.stdout;
  out.write(
    `best of ${ROUNDS} alternating rounds; tree: ${files.length + 3} files, ${(bytes / 1024 / 1024).toFixed(0)} MiB (deterministic) under ${tmpdir()}\n`,
  );
  out.write(`reference  sha256sum (read + hash)          ${raw.toFixed(1).padStart(8)} MB/s\n`);
  out.write(
    `nospy      firmware scan <directory>        ${scan.toFixed(1).padStart(8)} MB/s  (${(scan / raw).toFixed(2)}× raw; goal ≥ 0.50)\n`,
  );
  out.write(
    `nospy      firmware scan <tar image>        ${image.toFixed(1).padStart(8)} MB/s  (${(image / raw).toFixed(2)}× raw; includes image sha256 and unpack)\n`,
  );
  out.write(
    `components ${report.components.length}, indicators ${report.indicators.length}, warnings ${report.warnings.length}\n`,
  );
  const rawBoth = mbps(2 * bytes, rawBothMs);
  const diffRate = mbps(2 * bytes, diffMs);
  out.write(
    `firmware diff of two ${(bytes / 1024 / 1024).toFixed(0)} MiB trees, ${changed.length} of ${files.length} files changed (1%):\n`,
  );
  out.write(
    `reference  sha256sum of both trees           ${rawBoth.toFixed(1).padStart(8)} MB/s\n`,
  );
  out.write(
    `nospy      firmware diff <a> <b>             ${diffRate.toFixed(1).padStart(8)} MB/s  (${(diffRate / rawBoth).toFixed(2)}× raw; goal ≥ 0.50; ${differing} changed in content, ${diff.report.files.length} entries reported)\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
