/**
 * CramFS images (linux include/uapi/linux/cramfs_fs.h, fs/cramfs/README): a 64-byte superblock,
 * then 12-byte inodes with their names, directories as runs of inodes, and each file as a table
 * of block end pointers followed by zlib blocks of one page (4 KiB) each. Little-endian, as
 * mkfs.cramfs writes on the machines that build firmware; the big-endian form and the
 * extended block pointers of Linux 4.15 are reported as not read. Files decode when read.
 */
import { inflateZlib } from '../codecs/block-decoders.js';
import type { UnpackBudget } from '../limits.js';
import { MemoryTree } from '../tree.js';

/** 0x28cd3d45 little-endian (cramfs_fs.h CRAMFS_MAGIC). */
export const CRAMFS_MAGIC = Buffer.from([0x45, 0x3d, 0xcd, 0x28]);
const SIGNATURE = Buffer.from('Compressed ROMFS', 'latin1');
const FLAG_EXT_BLOCK_POINTERS = 0x800;
const FLAG_HOLES = 0x100;
const ROOT_INODE = 64;
const PAGE = 4096;
const MAX_DEPTH = 64;
const S_IFMT = 0o170000;

/** The file system's length from a valid superblock at `offset`, else undefined. */
export function cramfsLength(buf: Buffer, offset: number): number | undefined {
  if (offset + ROOT_INODE + 12 > buf.length) return undefined;
  if (!buf.subarray(offset, offset + 4).equals(CRAMFS_MAGIC)) return undefined;
  if (!buf.subarray(offset + 16, offset + 32).equals(SIGNATURE)) return undefined;
  const size = buf.readUInt32LE(offset + 4);
  if (size < ROOT_INODE + 12 || offset + size > buf.length) return undefined;
  return size;
}

export const isCramfsHeader = (buf: Buffer, offset: number): boolean =>
  cramfsLength(buf, offset) !== undefined;

interface Inode {
  readonly mode: number;
  readonly size: number;
  readonly nameLength: number;
  readonly offset: number;
}

function inodeAt(image: Buffer, at: number): Inode {
  const w0 = image.readUInt32LE(at);
  const w1 = image.readUInt32LE(at + 4);
  const w2 = image.readUInt32LE(at + 8);
  return {
    mode: w0 & 0xffff,
    size: w1 & 0xffffff,
    nameLength: (w2 & 0x3f) * 4,
    offset: (w2 >>> 6) * 4,
  };
}

class CramfsCorrupt extends Error {}

/** A regular file's (or symlink's) bytes: block pointers, then one zlib stream per page. */
function readData(image: Buffer, inode: Inode): Buffer {
  const out = Buffer.alloc(inode.size);
  if (inode.size === 0) return out;
  const blocks = Math.ceil(inode.size / PAGE);
  const table = inode.offset;
  if (table + blocks * 4 > image.length)
    throw new CramfsCorrupt('block pointers lie past the image');
  let start = table + blocks * 4;
  for (let i = 0; i < blocks; i += 1) {
    const end = image.readUInt32LE(table + i * 4);
    if (end < start || end > image.length)
      throw new CramfsCorrupt(`block ${i} lies outside the image`);
    const expected = Math.min(PAGE, inode.size - i * PAGE);
    // An empty block is a hole (CRAMFS_FLAG_HOLES): zeros.
    if (end > start) {
      const data = inflateZlib(image.subarray(start, end), PAGE);
      if (data.length !== expected)
        throw new CramfsCorrupt(`block ${i} holds ${data.length} bytes, not ${expected}`);
      data.copy(out, i * PAGE);
    }
    start = end;
  }
  return out;
}

/** Unpacks the CramFS file system that is exactly `image` into a tree. */
export function decodeCramfs(image: Buffer, budget: UnpackBudget, where: string): MemoryTree {
  const tree = new MemoryTree();
  const flags = image.readUInt32LE(8);
  if (
    (flags & ~(FLAG_HOLES | 0x3 | 0x200 | 0x400)) !== 0 ||
    (flags & FLAG_EXT_BLOCK_POINTERS) !== 0
  ) {
    budget.warn(
      'unsupported',
      where,
      `CramFS flags 0x${flags.toString(16)} are not supported; not read`,
    );
    return tree;
  }
  const ratioBound = Math.max(1024 * 1024, image.length * budget.limits.maxRatio);
  let listed = 0;
  const entered = new Set<number>();
  const walk = (dir: Inode, path: string, depth: number): void => {
    if (entered.has(dir.offset) || depth > MAX_DEPTH) {
      budget.warn(
        depth > MAX_DEPTH ? 'limit.depth' : 'corrupt',
        `${where}:${path}`,
        'directory loop or nesting too deep',
      );
      return;
    }
    entered.add(dir.offset);
    let at = dir.offset;
    const end = dir.offset + dir.size;
    if (end > image.length) {
      budget.warn('corrupt', `${where}:${path}`, 'directory lies past the image');
      return;
    }
    while (at + 12 <= end) {
      const inode = inodeAt(image, at);
      const nameEnd = at + 12 + inode.nameLength;
      if (inode.nameLength === 0 || nameEnd > end) {
        budget.warn('corrupt', `${where}:${path}`, 'directory entry runs past its directory');
        return;
      }
      const name = image.toString('latin1', at + 12, nameEnd).replace(/\0+$/, '');
      at = nameEnd;
      const child = path === '/' ? `/${name}` : `${path}/${name}`;
      const where2 = `${where}:${child}`;
      if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name)) {
        budget.warn('path_traversal', where2, `entry name ${JSON.stringify(name)} refused`);
        continue;
      }
      const type = inode.mode & S_IFMT;
      if (type === 0o040000) {
        if (budget.takeFile(where2, 0)) tree.put({ path: child, type: 'dir', size: 0 });
        if (inode.size > 0) walk(inode, child, depth + 1);
      } else if (type === 0o120000) {
        if (!budget.takeFile(where2, 0)) continue;
        try {
          const target = readData(image, { ...inode, size: Math.min(inode.size, PAGE) }).toString(
            'utf8',
          );
          tree.put({ path: child, type: 'symlink', size: 0, target });
        } catch (error) {
          budget.warn('corrupt', where2, (error as Error).message);
        }
      } else if (type === 0o100000) {
        if (listed + inode.size > ratioBound) {
          budget.warn(
            'limit.ratio',
            where2,
            `CramFS lists more than ${ratioBound} bytes of files; not read`,
          );
          continue;
        }
        listed += inode.size;
        if (!budget.takeFile(where2, inode.size)) continue;
        tree.put({ path: child, type: 'file', size: inode.size }, () => {
          try {
            return readData(image, inode);
          } catch (error) {
            budget.warn('corrupt', where2, (error as Error).message);
            return undefined;
          }
        });
      } else if (budget.takeFile(where2, 0)) tree.put({ path: child, type: 'other', size: 0 });
    }
  };
  const root = inodeAt(image, ROOT_INODE);
  if ((root.mode & S_IFMT) !== 0o040000)
    budget.warn('corrupt', where, 'the root inode is not a directory');
  else walk(root, '/', 0);
  return tree;
}
