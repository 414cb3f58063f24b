/**
 * Metadata blocks (squashfs-tools-ng docs/format.txt §3 "Metadata blocks"): a 16-bit header
 * (bit 15 set: stored uncompressed; low 15 bits: the stored size) followed by at most 8 KiB
 * once decompressed. Inodes, directories, fragment entries and ids all live in such blocks and
 * may straddle two of them, so reads go through a cursor that walks from block to block.
 */
import type { BlockDecoder } from '../../codecs/block-decoders.js';

export const METADATA_SIZE = 8192;

/** A malformed squashfs structure: the reader stops the branch it is in and says why. */
export class SquashfsCorrupt extends Error {
  override readonly name = 'SquashfsCorrupt';
}

interface MetadataBlock {
  readonly data: Buffer;
  /** Where the next block starts in the image. */
  readonly next: number;
}

/** The most decoded blocks kept: enough for the inode and directory tables of a router image. */
const CACHE_BLOCKS = 512;

/** Decodes metadata blocks of one image on demand, keeping the recent ones. */
export class MetadataReader {
  private readonly cache = new Map<number, MetadataBlock>();

  constructor(
    private readonly image: Buffer,
    private readonly decode: BlockDecoder,
  ) {}

  /** The block whose header is at `at` (an absolute position in the image). */
  block(at: number): MetadataBlock {
    const cached = this.cache.get(at);
    if (cached !== undefined) return cached;
    if (at + 2 > this.image.length)
      throw new SquashfsCorrupt(`metadata block at ${at} is past the image`);
    const header = this.image.readUInt16LE(at);
    const stored = header & 0x7fff;
    const start = at + 2;
    if (stored === 0 || start + stored > this.image.length)
      throw new SquashfsCorrupt(`metadata block at ${at} claims ${stored} bytes past the image`);
    const raw = this.image.subarray(start, start + stored);
    let data: Buffer;
    if ((header & 0x8000) !== 0) {
      if (stored > METADATA_SIZE)
        throw new SquashfsCorrupt(`metadata block at ${at} is larger than 8 KiB`);
      data = raw;
    } else {
      try {
        data = this.decode(raw, METADATA_SIZE);
      } catch (error) {
        throw new SquashfsCorrupt(
          `metadata block at ${at} does not decompress: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const block = { data, next: start + stored };
    if (this.cache.size >= CACHE_BLOCKS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(at, block);
    return block;
  }

  /** A cursor at byte `offset` of the block at `at`. */
  cursor(at: number, offset: number): MetadataCursor {
    return new MetadataCursor(this, at, offset);
  }
}

/** Reads consecutive bytes of a metadata table, crossing block boundaries. */
export class MetadataCursor {
  constructor(
    private readonly reader: MetadataReader,
    private at: number,
    private offset: number,
  ) {
    if (offset > METADATA_SIZE)
      throw new SquashfsCorrupt(`offset ${offset} inside a metadata block is past 8 KiB`);
  }

  /** The next `length` bytes. */
  take(length: number): Buffer {
    let block = this.reader.block(this.at);
    if (this.offset + length <= block.data.length) {
      const bytes = block.data.subarray(this.offset, this.offset + length);
      this.offset += length;
      return bytes;
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    // Each step consumes at least one byte or moves to the next block, which lies further on.
    for (;;) {
      const available = block.data.length - this.offset;
      const n = Math.min(available, length - done);
      if (n > 0) {
        block.data.copy(out, done, this.offset, this.offset + n);
        done += n;
        this.offset += n;
      }
      if (done === length) return out;
      this.at = block.next;
      this.offset = 0;
      block = this.reader.block(this.at);
    }
  }

  u16(): number {
    return this.take(2).readUInt16LE(0);
  }

  u32(): number {
    return this.take(4).readUInt32LE(0);
  }

  i16(): number {
    return this.take(2).readInt16LE(0);
  }

  u64(): number {
    const value = this.take(8).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new SquashfsCorrupt('a 64-bit field is out of range');
    return Number(value);
  }
}
