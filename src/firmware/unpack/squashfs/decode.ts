/**
 * Unpacks a squashfs 4.0 image into a tree whose files decode on demand from the image (no
 * child process, nothing on disk), within the same bounds as every other unpacker: each entry
 * takes its size from the budget when listed (file count, per-file size, total bytes), the
 * bytes listed may not exceed the image's size times `maxRatio`, and every branch that stops
 * says why.
 */
import { blockDecoder } from '../../codecs/block-decoders.js';
import { sharedDecodePool, type BlockDecodePool } from '../../codecs/decode-pool.js';
import { lzmaAvailable } from '../../codecs/lzma.js';
import type { UnpackBudget } from '../../limits.js';
import { MemoryTree } from '../../tree.js';
import { SquashfsImage } from './image.js';
import type { SquashfsInode } from './inode.js';
import { SquashfsReadAhead } from './read-ahead.js';
import { readSquashfsSuperblock } from './superblock.js';
import { walkSquashfs } from './walk.js';

/** A small floor so that tiny images of small files are fine (as `UnpackBudget` has). */
const RATIO_FLOOR = 1024 * 1024;

/**
 * Images smaller than this are decoded on the calling thread alone: handing blocks to other
 * threads pays off only when there are many of them.
 */
export const READ_AHEAD_MIN_BYTES = 4 * 1024 * 1024;

export interface SquashfsDecodeOptions {
  /** Worker threads to decode blocks ahead of the reads; default: the shared pool, for large images. */
  readonly pool?: BlockDecodePool | undefined;
}

/** Opens the image, or says why it cannot be read and returns undefined. */
export function openSquashfs(
  image: Buffer,
  budget: UnpackBudget,
  where: string,
): SquashfsImage | undefined {
  const superblock = readSquashfsSuperblock(image, 0);
  if (superblock === undefined) {
    budget.warn('corrupt', where, 'the squashfs superblock is not valid');
    return undefined;
  }
  if (superblock.compressor === undefined) {
    budget.warn(
      'unsupported',
      where,
      `squashfs compressor id ${superblock.compressorId} is not one of gzip, lzma, lzo, xz, lz4, zstd`,
    );
    return undefined;
  }
  if ((superblock.compressor === 'xz' || superblock.compressor === 'lzma') && !lzmaAvailable()) {
    budget.warn(
      'unsupported',
      where,
      `squashfs compressed with ${superblock.compressor}, and the xz/LZMA decoder (@napi-rs/lzma) is not installed for this platform or Node version`,
    );
    return undefined;
  }
  const decode = blockDecoder(superblock.compressor);
  try {
    return new SquashfsImage(image, superblock, decode, budget.limits.maxFileBytes);
  } catch (error) {
    budget.warn('corrupt', where, `the squashfs id table: ${(error as Error).message}`);
    return undefined;
  }
}

export function decodeSquashfs(
  image: Buffer,
  budget: UnpackBudget,
  where: string,
  options: SquashfsDecodeOptions = {},
): MemoryTree | undefined {
  const fs = openSquashfs(image, budget, where);
  if (fs === undefined) return undefined;
  const tree = new MemoryTree();
  const files: Extract<SquashfsInode, { kind: 'file' }>[] = [];
  let ahead: SquashfsReadAhead | undefined;
  const ratioBound = Math.max(RATIO_FLOOR, image.length * budget.limits.maxRatio);
  let listed = 0;
  walkSquashfs(
    fs,
    (path, inode) => {
      if (path === '/') return true;
      const at = `${where}:${path}`;
      switch (inode.kind) {
        case 'too-large':
          budget.warn(
            'limit.file_bytes',
            at,
            `file of ${inode.fileSize} bytes > ${budget.limits.maxFileBytes}; not read`,
          );
          return true;
        case 'dir':
          if (budget.takeFile(at, 0)) tree.put({ path, type: 'dir', size: 0 });
          return true;
        case 'symlink':
          if (budget.takeFile(at, 0))
            tree.put({ path, type: 'symlink', size: 0, target: inode.target });
          return true;
        case 'other':
          if (budget.takeFile(at, 0)) tree.put({ path, type: 'other', size: 0 });
          return true;
        case 'file': {
          // Sizes are summed before any byte is decoded: a sparse or highly compressed image
          // must not be expanded first and measured afterwards.
          if (listed + inode.fileSize > ratioBound) {
            budget.warn(
              'limit.ratio',
              at,
              `squashfs lists more than ${ratioBound} bytes of files from a ${image.length}-byte image; the rest is not read`,
            );
            return false;
          }
          listed += inode.fileSize;
          if (!budget.takeFile(at, inode.fileSize)) return budget.files < budget.limits.maxFiles;
          const index = files.push(inode) - 1;
          tree.put({ path, type: 'file', size: inode.fileSize }, () => {
            try {
              if (ahead === undefined) return fs.readFile(inode);
              ahead.reading(index);
              return fs.readFile(inode, ahead);
            } catch (error) {
              budget.warn('corrupt', at, (error as Error).message);
              return undefined;
            }
          });
          return true;
        }
      }
    },
    (problem) => {
      budget.warn(problem.reason, `${where}:${problem.path}`, problem.detail);
    },
  );
  const pool =
    'pool' in options
      ? options.pool
      : image.length >= READ_AHEAD_MIN_BYTES
        ? sharedDecodePool()
        : undefined;
  const codec = fs.superblock.compressor;
  if (pool !== undefined && codec !== undefined)
    ahead = new SquashfsReadAhead(fs, codec, pool, files);
  return tree;
}
