/**
 * The squashfs 4.0 superblock (squashfs-tools squashfs_fs.h `struct squashfs_super_block`;
 * squashfs-tools-ng docs/format.txt §2): 96 little-endian bytes at the start of the image that
 * locate every table.
 */

/** Little-endian "hsqs". */
export const SQUASHFS_MAGIC = Buffer.from('hsqs', 'latin1');
export const SUPERBLOCK_SIZE = 96;

/** Compressor ids (squashfs_fs.h ZLIB_COMPRESSION … ZSTD_COMPRESSION). */
export const SQUASHFS_COMPRESSORS = {
  1: 'gzip',
  2: 'lzma',
  3: 'lzo',
  4: 'xz',
  5: 'lz4',
  6: 'zstd',
} as const;
export type SquashfsCompressor = (typeof SQUASHFS_COMPRESSORS)[keyof typeof SQUASHFS_COMPRESSORS];

/** Superblock flags this reader acts on (squashfs_fs.h SQUASHFS_*_BIT). */
export const FLAG_COMPRESSOR_OPTIONS = 0x0400;

/** No table: the value mksquashfs writes for an absent xattr, fragment or export table. */
export const NO_TABLE = 0xffff_ffff_ffff_ffffn;

export interface SquashfsSuperblock {
  readonly inodes: number;
  readonly mkfsTime: number;
  readonly blockSize: number;
  readonly fragments: number;
  /** The compressor id as written; `compressor` names it when this reader knows it. */
  readonly compressorId: number;
  readonly compressor: SquashfsCompressor | undefined;
  readonly flags: number;
  readonly idCount: number;
  readonly rootInode: bigint;
  readonly bytesUsed: number;
  readonly idTableStart: number;
  readonly inodeTableStart: number;
  readonly directoryTableStart: number;
  /** Undefined when the image has no fragment table. */
  readonly fragmentTableStart: number | undefined;
}

const position = (value: bigint, limit: number): number | undefined =>
  value === NO_TABLE || value > BigInt(limit) ? undefined : Number(value);

/**
 * Parses the superblock at `offset` and checks what must hold in a real one: version 4.0, a
 * block size that is a power of two between 4 KiB and 1 MiB equal to 1 << block_log, an image
 * size that fits the data, and tables in the order mksquashfs writes them (inodes before
 * directories before the id table, all inside `bytes_used`). Undefined when any fails: a magic
 * found in other data is not a file system.
 */
export function readSquashfsSuperblock(
  buf: Buffer,
  offset: number,
): SquashfsSuperblock | undefined {
  if (offset + SUPERBLOCK_SIZE > buf.length) return undefined;
  if (!buf.subarray(offset, offset + 4).equals(SQUASHFS_MAGIC)) return undefined;
  const at = (n: number): number => offset + n;
  const blockSize = buf.readUInt32LE(at(12));
  const blockLog = buf.readUInt16LE(at(22));
  if (buf.readUInt16LE(at(28)) !== 4 || buf.readUInt16LE(at(30)) !== 0) return undefined;
  if (blockLog < 12 || blockLog > 20 || blockSize !== 2 ** blockLog) return undefined;
  const bytesUsed64 = buf.readBigUInt64LE(at(40));
  if (bytesUsed64 < BigInt(SUPERBLOCK_SIZE) || BigInt(offset) + bytesUsed64 > BigInt(buf.length))
    return undefined;
  const bytesUsed = Number(bytesUsed64);
  const idTableStart = position(buf.readBigUInt64LE(at(48)), bytesUsed);
  const inodeTableStart = position(buf.readBigUInt64LE(at(64)), bytesUsed);
  const directoryTableStart = position(buf.readBigUInt64LE(at(72)), bytesUsed);
  if (idTableStart === undefined || inodeTableStart === undefined) return undefined;
  if (directoryTableStart === undefined || directoryTableStart < inodeTableStart) return undefined;
  if (inodeTableStart < SUPERBLOCK_SIZE) return undefined;
  const compressorId = buf.readUInt16LE(at(20));
  return {
    inodes: buf.readUInt32LE(at(4)),
    mkfsTime: buf.readUInt32LE(at(8)),
    blockSize,
    fragments: buf.readUInt32LE(at(16)),
    compressorId,
    compressor: (SQUASHFS_COMPRESSORS as Record<number, SquashfsCompressor | undefined>)[
      compressorId
    ],
    flags: buf.readUInt16LE(at(24)),
    idCount: buf.readUInt16LE(at(26)),
    rootInode: buf.readBigUInt64LE(at(32)),
    bytesUsed,
    idTableStart,
    inodeTableStart,
    directoryTableStart,
    fragmentTableStart: position(buf.readBigUInt64LE(at(80)), bytesUsed),
  };
}
