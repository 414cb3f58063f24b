import { isCpioHeader } from './cpio.js';
import { CRAMFS_MAGIC, isCramfsHeader } from './cramfs.js';
import { isJffs2Node, JFFS2_MAGIC_BE, JFFS2_MAGIC_LE } from './jffs2.js';
import { isGzipHeader } from './gzip.js';
import { readSquashfsSuperblock, SQUASHFS_MAGIC } from './squashfs/superblock.js';
import { isTarHeader, TAR_MAGIC_OFFSET } from './tar.js';
import { readUImageHeader } from './uimage.js';
import { isXzHeader, XZ_MAGIC } from './xz.js';
import { isZipHeader, ZIP_LOCAL_MAGIC } from './zip.js';

/** The container types nospy finds by magic. */
export type CarveType =
  'uimage' | 'squashfs' | 'cpio' | 'gzip' | 'xz' | 'tar' | 'zip' | 'jffs2' | 'cramfs';

/** One container found inside an image: where, what, how many bytes. */
export interface Carve {
  readonly offset: number;
  readonly type: CarveType;
  readonly size: number;
  /** The stream the offset counts in, when it is not the image itself (e.g. `uimage@0x10000`). */
  readonly within?: string;
  readonly detail?: string;
}

interface Pattern {
  readonly type: CarveType;
  readonly magic: Buffer;
  /** Where the container starts relative to where its magic is. */
  readonly back: number;
  readonly valid: (buf: Buffer, start: number) => boolean;
}

const UIMAGE_MAGIC_BYTES = Buffer.from([0x27, 0x05, 0x19, 0x56]);

const PATTERNS: readonly Pattern[] = [
  {
    type: 'uimage',
    magic: UIMAGE_MAGIC_BYTES,
    back: 0,
    valid: (b, s) => readUImageHeader(b, s) !== undefined,
  },
  {
    type: 'squashfs',
    magic: SQUASHFS_MAGIC,
    back: 0,
    valid: (b, s) => readSquashfsSuperblock(b, s) !== undefined,
  },
  { type: 'cpio', magic: Buffer.from('0707', 'latin1'), back: 0, valid: isCpioHeader },
  { type: 'gzip', magic: Buffer.from([0x1f, 0x8b, 0x08]), back: 0, valid: isGzipHeader },
  { type: 'xz', magic: XZ_MAGIC, back: 0, valid: isXzHeader },
  {
    type: 'tar',
    magic: Buffer.from('ustar', 'latin1'),
    back: TAR_MAGIC_OFFSET,
    valid: isTarHeader,
  },
  { type: 'zip', magic: ZIP_LOCAL_MAGIC, back: 0, valid: isZipHeader },
  { type: 'cramfs', magic: CRAMFS_MAGIC, back: 0, valid: isCramfsHeader },
  { type: 'jffs2', magic: JFFS2_MAGIC_LE, back: 0, valid: isJffs2Node },
  { type: 'jffs2', magic: JFFS2_MAGIC_BE, back: 0, valid: isJffs2Node },
];

/** The container type whose valid header starts exactly at `offset`, if any. */
export function containerAt(buf: Buffer, offset: number): CarveType | undefined {
  for (const pattern of PATTERNS) {
    const magicAt = offset + pattern.back;
    if (magicAt + pattern.magic.length > buf.length) continue;
    if (
      buf.compare(
        pattern.magic,
        0,
        pattern.magic.length,
        magicAt,
        magicAt + pattern.magic.length,
      ) !== 0
    )
      continue;
    if (pattern.valid(buf, offset)) return pattern.type;
  }
  return undefined;
}

/**
 * Finds candidate container starts at or after `from`, in offset order, lazily: each magic is
 * searched with Buffer#indexOf and only its hits are validated, so a scan of a large flash
 * dump costs a handful of memchr-speed passes.
 */
export class CarveScanner {
  private readonly next = new Map<Pattern, number>();

  constructor(private readonly buf: Buffer) {}

  /** The lowest offset ≥ `from` where some container's header validates. */
  nextCandidate(from: number): { offset: number; type: CarveType } | undefined {
    // A container right at `from` is the lowest candidate there can be (patterns are tried in
    // the same order as below, so ties resolve alike). An image that is one file system from
    // its first byte is then never searched for magics it would only jump over.
    const here = containerAt(this.buf, from);
    if (here !== undefined) return { offset: from, type: here };
    let best: { offset: number; type: CarveType } | undefined;
    for (const pattern of PATTERNS) {
      let known = this.next.get(pattern);
      if (known === undefined || (known !== -1 && known < from)) {
        known = this.find(pattern, from);
        this.next.set(pattern, known);
      }
      if (known !== -1 && (best === undefined || known < best.offset))
        best = { offset: known, type: pattern.type };
    }
    return best;
  }

  private find(pattern: Pattern, from: number): number {
    let at = this.buf.indexOf(pattern.magic, from + pattern.back);
    while (at !== -1) {
      const start = at - pattern.back;
      if (start >= from && pattern.valid(this.buf, start)) return start;
      at = this.buf.indexOf(pattern.magic, at + 1);
    }
    return -1;
  }
}
