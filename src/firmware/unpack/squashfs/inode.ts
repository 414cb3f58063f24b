/**
 * Inodes (squashfs-tools-ng docs/format.txt §4 "Inode table"; squashfs_fs.h `struct
 * squashfs_*_inode`): a common 16-byte header, then a body per type. Extended types carry
 * 64-bit sizes, a link count and an xattr index; the xattr index is read past and never
 * followed, so extended attributes cost nothing and cannot mislead the reader.
 */
import { MetadataCursor, SquashfsCorrupt } from './metadata.js';

/** Inode types (squashfs_fs.h SQUASHFS_DIR_TYPE … SQUASHFS_LSOCKET_TYPE). */
const DIR = 1;
const FILE = 2;
const SYMLINK = 3;
const LDIR = 8;
const LFILE = 9;
const LSYMLINK = 10;

/** No fragment: the file's tail has a block of its own. */
export const NO_FRAGMENT = 0xffff_ffff;

/** The longest symlink target read (PATH_MAX). */
const MAX_TARGET = 4096;

export interface InodeHeader {
  readonly type: number;
  /** Permission bits and setuid/setgid/sticky (`mode & 0o7777`). */
  readonly permissions: number;
  readonly uidIndex: number;
  readonly gidIndex: number;
  readonly mtime: number;
}

export type SquashfsInode =
  | {
      readonly kind: 'dir';
      readonly header: InodeHeader;
      /** The listing's first block, relative to the directory table. */
      readonly block: number;
      readonly offset: number;
      /** Bytes of the listing (the inode's `file_size` less the 3 it always adds). */
      readonly listingSize: number;
    }
  | {
      readonly kind: 'file';
      readonly header: InodeHeader;
      readonly blocksStart: number;
      readonly fragment: number;
      readonly fragmentOffset: number;
      readonly fileSize: number;
      /** Stored size of each full block (bit 24: uncompressed; 0: a sparse block). */
      readonly blockSizes: readonly number[];
    }
  | { readonly kind: 'symlink'; readonly header: InodeHeader; readonly target: string }
  | { readonly kind: 'other'; readonly header: InodeHeader };

/**
 * Reads one inode at `cursor`. `blockSize` gives the number of block sizes a file lists, and
 * `maxFileBytes` refuses a file before its block list is read: a hostile inode may claim an
 * exabyte, and the list would then be unbounded.
 */
export function readInode(
  cursor: MetadataCursor,
  blockSize: number,
  maxFileBytes: number,
): SquashfsInode | { kind: 'too-large'; header: InodeHeader; fileSize: number } {
  const type = cursor.u16();
  const header: InodeHeader = {
    type,
    permissions: cursor.u16() & 0o7777,
    uidIndex: cursor.u16(),
    gidIndex: cursor.u16(),
    mtime: cursor.u32(),
  };
  cursor.u32(); // inode_number
  switch (type) {
    case DIR: {
      const block = cursor.u32();
      cursor.u32(); // link_count
      const fileSize = cursor.u16();
      const offset = cursor.u16();
      cursor.u32(); // parent_inode
      return { kind: 'dir', header, block, offset, listingSize: Math.max(0, fileSize - 3) };
    }
    case LDIR: {
      cursor.u32(); // link_count
      const fileSize = cursor.u32();
      const block = cursor.u32();
      cursor.u32(); // parent_inode
      cursor.u16(); // index_count: the lookup index after the inode is not needed to list
      const offset = cursor.u16();
      cursor.u32(); // xattr_idx
      return { kind: 'dir', header, block, offset, listingSize: Math.max(0, fileSize - 3) };
    }
    case FILE:
    case LFILE: {
      let blocksStart: number;
      let fileSize: number;
      let fragment: number;
      let fragmentOffset: number;
      if (type === FILE) {
        blocksStart = cursor.u32();
        fragment = cursor.u32();
        fragmentOffset = cursor.u32();
        fileSize = cursor.u32();
      } else {
        blocksStart = cursor.u64();
        fileSize = cursor.u64();
        cursor.u64(); // sparse
        cursor.u32(); // link_count
        fragment = cursor.u32();
        fragmentOffset = cursor.u32();
        cursor.u32(); // xattr_idx
      }
      if (fileSize > maxFileBytes) return { kind: 'too-large', header, fileSize };
      // format.txt §4.4: a file with a fragment lists only its full blocks.
      const count =
        fragment === NO_FRAGMENT
          ? Math.ceil(fileSize / blockSize)
          : Math.floor(fileSize / blockSize);
      const sizes = cursor.take(count * 4);
      const blockSizes: number[] = new Array<number>(count);
      for (let i = 0; i < count; i += 1) blockSizes[i] = sizes.readUInt32LE(i * 4);
      return { kind: 'file', header, blocksStart, fragment, fragmentOffset, fileSize, blockSizes };
    }
    case SYMLINK:
    case LSYMLINK: {
      cursor.u32(); // link_count
      const size = cursor.u32();
      if (size > MAX_TARGET) throw new SquashfsCorrupt(`symlink target of ${size} bytes`);
      const target = cursor.take(size).toString('utf8');
      return { kind: 'symlink', header, target };
    }
    default:
      // Devices, fifos and sockets (4–7, 11–14) carry nothing to scan; their body is not read.
      if (type < 1 || type > 14) throw new SquashfsCorrupt(`unknown inode type ${type}`);
      return { kind: 'other', header };
  }
}
