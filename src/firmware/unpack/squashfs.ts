import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnpackBudget } from '../limits.js';
import { MemoryTree } from '../tree.js';

/** Little-endian "hsqs" (squashfs 4 superblock, squashfs-tools squashfs_fs.h). */
export const SQUASHFS_MAGIC = Buffer.from('hsqs', 'latin1');

/** The superblock fields carving needs. */
export interface SquashfsSuperblock {
  readonly inodes: number;
  readonly blockSize: number;
  readonly bytesUsed: number;
}

/**
 * Parses a squashfs 4.0 superblock at `offset` and checks what must hold in a real one: version
 * 4.0, block size a power of two between 4 KiB and 1 MiB equal to 1 << block_log, and an image
 * size that fits the data.
 */
export function readSquashfsSuperblock(
  buf: Buffer,
  offset: number,
): SquashfsSuperblock | undefined {
  if (offset + 96 > buf.length || !buf.subarray(offset, offset + 4).equals(SQUASHFS_MAGIC))
    return undefined;
  const inodes = buf.readUInt32LE(offset + 4);
  const blockSize = buf.readUInt32LE(offset + 12);
  const blockLog = buf.readUInt16LE(offset + 22);
  const major = buf.readUInt16LE(offset + 28);
  const minor = buf.readUInt16LE(offset + 30);
  const bytesUsed = Number(buf.readBigUInt64LE(offset + 40));
  if (major !== 4 || minor !== 0) return undefined;
  if (blockLog < 12 || blockLog > 20 || blockSize !== 2 ** blockLog) return undefined;
  if (bytesUsed < 96 || offset + bytesUsed > buf.length) return undefined;
  return { inodes, blockSize, bytesUsed };
}

/** Reads an extracted directory into memory with lstat: links stay links, nothing is followed. */
function readExtracted(root: string, dir: string, tree: MemoryTree, budget: UnpackBudget): void {
  for (const name of readdirSync(join(root, dir)).sort()) {
    const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
    const stat = lstatSync(join(root, path));
    if (stat.isSymbolicLink()) {
      if (budget.takeFile(path, 0))
        tree.put({ path, type: 'symlink', size: 0, target: readlinkSync(join(root, path)) });
    } else if (stat.isDirectory()) {
      if (budget.takeFile(path, 0)) tree.put({ path, type: 'dir', size: 0 });
      readExtracted(root, path, tree, budget);
    } else if (stat.isFile()) {
      if (budget.takeFile(path, stat.size))
        tree.put({ path, type: 'file', size: stat.size }, readFileSync(join(root, path)));
    } else if (budget.takeFile(path, 0)) tree.put({ path, type: 'other', size: 0 });
  }
}

/**
 * Unpacks a squashfs 4 image with Debian's `unsquashfs` (squashfs-tools): its decoders handle
 * every compressor and the format's corner cases. The listing (`-lls`) is read first and its
 * sizes checked against the budget before anything is written, so a sparse or highly
 * compressed bomb is refused up front; the extraction goes to a private temp dir that is read
 * into memory and removed.
 */
export function decodeSquashfs(
  image: Buffer,
  budget: UnpackBudget,
  where: string,
): MemoryTree | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'nospy-sqfs-'));
  try {
    const file = join(dir, 'image.sqfs');
    writeFileSync(file, image);
    const listing = spawnSync('unsquashfs', ['-lls', '-n', file], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    if ((listing.error as { code?: string } | undefined)?.code === 'ENOENT') {
      budget.warn(
        'tool_missing',
        where,
        'squashfs found but unsquashfs is not installed (apt-get install squashfs-tools)',
      );
      return undefined;
    }
    if (listing.error !== undefined || listing.status !== 0) {
      budget.warn(
        'tool_failed',
        where,
        `unsquashfs cannot list the image: ${listing.error?.message ?? listing.stderr.toString().trim()}`,
      );
      return undefined;
    }
    let files = 0;
    let bytes = 0;
    for (const line of listing.stdout.toString('utf8').split('\n')) {
      const match = /^(\S)\S{9}\s+\S+\s+(\d+)\s/.exec(line);
      if (match === null) continue;
      files += 1;
      if (match[1] === '-') bytes += Number(match[2]);
    }
    if (budget.files + files > budget.limits.maxFiles) {
      budget.warn(
        'limit.files',
        where,
        `squashfs lists ${files} entries; limit ${budget.limits.maxFiles}`,
      );
      return undefined;
    }
    // The listing is checked before anything is written: a sparse or highly compressed image
    // must not be expanded first and measured afterwards.
    const room = budget.limits.maxTotalBytes - budget.totalBytes;
    const ratioBound = Math.max(1024 * 1024, image.length * budget.limits.maxRatio);
    if (bytes > room || bytes > ratioBound) {
      budget.warn(
        bytes > room ? 'limit.total_bytes' : 'limit.ratio',
        where,
        `squashfs lists ${bytes} bytes of files from a ${image.length}-byte image; refused`,
      );
      return undefined;
    }
    const out = join(dir, 'root');
    const run = spawnSync('unsquashfs', ['-n', '-no-xattrs', '-d', out, file], {
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    // unsquashfs exits 2 for non-fatal errors (e.g. device nodes it may not create).
    if (run.error !== undefined || (run.status !== 0 && run.status !== 2)) {
      budget.warn(
        'tool_failed',
        where,
        `unsquashfs failed: ${run.error?.message ?? run.stderr.toString().trim()}`,
      );
      return undefined;
    }
    const tree = new MemoryTree();
    readExtracted(out, '/', tree, budget);
    return tree;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
