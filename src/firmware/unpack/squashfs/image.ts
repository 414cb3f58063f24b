/**
 * A squashfs 4.0 image read in place: the directory tree is walked from the root inode through
 * the inode and directory tables, and a file's bytes are decoded only when asked for, block by
 * block, from the image buffer. Nothing is written to disk.
 */
import type { BlockDecoder } from '../../codecs/block-decoders.js';
import { readInode, NO_FRAGMENT, type InodeHeader, type SquashfsInode } from './inode.js';
import { MetadataReader, SquashfsCorrupt } from './metadata.js';
import { readFragmentEntry, readIdTable, type FragmentEntry } from './tables.js';
import type { SquashfsSuperblock } from './superblock.js';

/** Bit 24 of a block size: the block is stored uncompressed (squashfs_fs.h). */
const UNCOMPRESSED_BLOCK = 1 << 24;
/** A directory header lists at most 256 entries (format.txt §4.2). */
const MAX_RUN = 256;
/** The longest entry name (NAME_MAX). */
const MAX_NAME = 256;

export interface SquashfsAttributes {
  readonly mode: number;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly mtime: number;
}

/** One directory entry, named by its parent and resolved to its inode. */
export interface SquashfsListing {
  readonly name: string;
  readonly inode: SquashfsInode | { kind: 'too-large'; header: InodeHeader; fileSize: number };
}

const decodeFailure = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Decodes a compressed data block: the image itself, on this thread, or a read-ahead that has
 * had it decoded on a worker thread. Throws the decoder's error.
 */
export interface BlockSource {
  decoded(at: number, length: number): Buffer;
}

export class SquashfsImage implements BlockSource {
  private readonly metadata: MetadataReader;
  private readonly ids: number[];
  /** The last fragment blocks decoded: small files share them and are listed together. */
  private readonly fragmentCache = new Map<number, Buffer>();

  constructor(
    private readonly image: Buffer,
    readonly superblock: SquashfsSuperblock,
    private readonly decode: BlockDecoder,
    private readonly maxFileBytes: number,
  ) {
    this.metadata = new MetadataReader(image, decode);
    this.ids = readIdTable(image, this.metadata, superblock.idTableStart, superblock.idCount);
  }

  /** The root directory's inode. */
  root(): SquashfsInode | { kind: 'too-large' } {
    return this.inodeAt(this.superblock.rootInode);
  }

  /** Mode, owner and time of an inode, the owner resolved through the id table. */
  attributes(header: InodeHeader): SquashfsAttributes {
    return {
      mode: header.permissions,
      uid: this.ids[header.uidIndex],
      gid: this.ids[header.gidIndex],
      mtime: header.mtime,
    };
  }

  private inodeAt(reference: bigint): SquashfsListing['inode'] {
    // An inode reference: the metadata block's offset in the inode table above bit 16, the
    // offset inside the decoded block below (format.txt §4.1).
    const block = Number(reference >> 16n);
    const offset = Number(reference & 0xffffn);
    const cursor = this.metadata.cursor(this.superblock.inodeTableStart + block, offset);
    return readInode(cursor, this.superblock.blockSize, this.maxFileBytes);
  }

  /** The entries of a directory, in the order stored (sorted by name, as mksquashfs writes). */
  list(dir: Extract<SquashfsInode, { kind: 'dir' }>): SquashfsListing[] {
    const cursor = this.metadata.cursor(
      this.superblock.directoryTableStart + dir.block,
      dir.offset,
    );
    const entries: SquashfsListing[] = [];
    let read = 0;
    while (read < dir.listingSize) {
      // format.txt §4.2: a header (count - 1, inode block, base inode number), then entries.
      const count = cursor.u32() + 1;
      const inodeBlock = cursor.u32();
      cursor.u32();
      read += 12;
      if (count > MAX_RUN) throw new SquashfsCorrupt(`a directory header lists ${count} entries`);
      for (let i = 0; i < count; i += 1) {
        const offset = cursor.u16();
        cursor.i16(); // inode number delta
        cursor.u16(); // type (the inode says it again)
        const nameSize = cursor.u16() + 1;
        if (nameSize > MAX_NAME) throw new SquashfsCorrupt(`a name of ${nameSize} bytes`);
        const name = cursor.take(nameSize).toString('utf8');
        read += 8 + nameSize;
        if (read > dir.listingSize)
          throw new SquashfsCorrupt('a directory entry runs past its listing');
        const reference = (BigInt(inodeBlock) << 16n) | BigInt(offset);
        entries.push({ name, inode: this.inodeAt(reference) });
      }
    }
    return entries;
  }

  /**
   * A file's bytes: its full blocks in order (a stored size of 0 is a sparse block of zeros),
   * then its tail from a fragment block. Each block decodes into at most the block size, and
   * every block but the file's last must fill it. `source` decodes the compressed blocks (here,
   * unless a read-ahead has them decoded already).
   */
  readFile(file: Extract<SquashfsInode, { kind: 'file' }>, source: BlockSource = this): Buffer {
    const { blockSize } = this.superblock;
    let at = file.blocksStart;
    const first = file.blockSizes[0];
    if (
      file.blockSizes.length === 1 &&
      file.fragment === NO_FRAGMENT &&
      first !== undefined &&
      (first & UNCOMPRESSED_BLOCK) === 0 &&
      first !== 0 &&
      file.fileSize <= blockSize
    )
      // The common case of a file in one compressed block: the freshly decoded block is the
      // file, not a copy of it.
      return this.dataBlock(at, first, file.fileSize, source).subarray(0, file.fileSize);
    if (file.blockSizes.length === 0 && file.fragment !== NO_FRAGMENT) {
      // A file that is only a tail (most files of an image are smaller than a block): a view
      // of the decoded fragment block, not a copy. Files are handed out read-only.
      const fragment = this.fragmentBlock(file.fragment, source);
      const end = file.fragmentOffset + file.fileSize;
      if (end > fragment.length)
        throw new SquashfsCorrupt(`a file's tail lies past the end of fragment ${file.fragment}`);
      return fragment.subarray(file.fragmentOffset, end);
    }
    // Every byte is written below: blocks, zeros for sparse blocks, then the tail.
    const out = Buffer.allocUnsafe(file.fileSize);
    let written = 0;
    for (const stored of file.blockSizes) {
      const expected = Math.min(blockSize, file.fileSize - written);
      const length = stored & ~UNCOMPRESSED_BLOCK;
      if (length !== 0) {
        const block = this.dataBlock(at, stored, expected, source);
        block.copy(out, written, 0, expected);
        at += length;
      } else out.fill(0, written, written + expected);
      written += expected;
    }
    if (file.fragment !== NO_FRAGMENT) {
      const tail = file.fileSize - written;
      const fragment = this.fragmentBlock(file.fragment, source);
      if (file.fragmentOffset + tail > fragment.length)
        throw new SquashfsCorrupt(`a file's tail lies past the end of fragment ${file.fragment}`);
      fragment.copy(out, written, file.fragmentOffset, file.fragmentOffset + tail);
    } else if (written !== file.fileSize) {
      throw new SquashfsCorrupt('a file lists fewer blocks than its size needs');
    }
    return out;
  }

  /** Decodes the compressed block of `length` bytes at `at` here, on this thread. */
  decoded(at: number, length: number): Buffer {
    return this.decode(this.image.subarray(at, at + length), this.superblock.blockSize);
  }

  /** The image's bytes of a block, for a read-ahead to hand to another thread. */
  stored(at: number, length: number): Buffer {
    return this.image.subarray(at, at + length);
  }

  private dataBlock(at: number, stored: number, expected: number, source: BlockSource): Buffer {
    const length = stored & ~UNCOMPRESSED_BLOCK;
    if (length > this.superblock.blockSize || at + length > this.superblock.bytesUsed)
      throw new SquashfsCorrupt(`a data block at ${at} of ${length} bytes lies past the image`);
    let data: Buffer;
    if ((stored & UNCOMPRESSED_BLOCK) !== 0) data = this.image.subarray(at, at + length);
    else {
      try {
        data = source.decoded(at, length);
      } catch (error) {
        throw new SquashfsCorrupt(
          `the data block at ${at} does not decompress: ${decodeFailure(error)}`,
        );
      }
    }
    if (data.length < expected)
      throw new SquashfsCorrupt(
        `the data block at ${at} holds ${data.length} bytes, not ${expected}`,
      );
    return data;
  }

  /** Where fragment block `index` is stored, or undefined when the table does not have it. */
  fragmentLocation(index: number): FragmentEntry | undefined {
    const { fragmentTableStart, fragments } = this.superblock;
    if (fragmentTableStart === undefined || index >= fragments) return undefined;
    return readFragmentEntry(this.image, this.metadata, fragmentTableStart, index);
  }

  /** True when fragment block `index` is decoded already (a read-ahead need not ask for it). */
  hasFragment(index: number): boolean {
    return this.fragmentCache.has(index);
  }

  private fragmentBlock(index: number, source: BlockSource): Buffer {
    const cached = this.fragmentCache.get(index);
    if (cached !== undefined) return cached;
    const entry = this.fragmentLocation(index);
    if (entry === undefined)
      throw new SquashfsCorrupt(`fragment ${index} is not in the fragment table`);
    const data = this.dataBlock(entry.start, entry.size, 0, source);
    if (this.fragmentCache.size >= 8) {
      const oldest = this.fragmentCache.keys().next().value;
      if (oldest !== undefined) this.fragmentCache.delete(oldest);
    }
    this.fragmentCache.set(index, data);
    return data;
  }
}
