/**
 * A small, bounded reader of zip archives (PKWARE APPNOTE.TXT 6.3.10): stored and deflated
 * entries, ZIP64 sizes and offsets. It reads the central directory and then each entry by
 * position, so memory stays at one entry. Every size the archive declares is checked against the
 * archive and the limits before anything is allocated, and inflation is capped by
 * `maxOutputLength`, so a zip bomb stops at the bound. Used for the OSV bucket's `all.zip`
 * (src/osv/zip-reader.ts) and for zip firmware images (src/firmware/unpack/zip.ts).
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Most entries the central directory may list. */
  readonly maxEntries: number;
  /** Largest uncompressed entry. */
  readonly maxEntryBytes: number;
  /** Most uncompressed bytes over the whole archive. */
  readonly maxTotalBytes: number;
  /** Largest uncompressed : compressed ratio of one entry (zip-bomb guard). */
  readonly maxRatio: number;
  /** Entries up to this many bytes are not held to `maxRatio` (a page of zeros is no bomb). */
  readonly ratioFloor?: number;
}

/** The OSV bucket's defaults. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000_000,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxRatio: 200,
};

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const MAX_COMMENT = 0xffff;

/** One entry of the central directory (APPNOTE 4.3.12). */
export interface CentralEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
  /** "Version made by" (APPNOTE 4.4.2): the high byte 3 means the attributes are Unix ones. */
  readonly madeBy: number;
  /** External attributes (4.4.15): for Unix, the file type and mode in the high 16 bits. */
  readonly externalAttributes: number;
}

/**
 * The bytes of an archive, read by position: a file (read with pread) or a buffer. `read`
 * throws ZipFormatError when the range lies outside the archive.
 */
export interface ZipSource {
  readonly size: number;
  read(offset: number, length: number, what: string): Buffer;
}

/**
 * An archive that is not a zip (`invalid`) or breaks a bound as a whole (`limit`). A plain
 * error, not a domain's: each caller turns it into its own (OSV_ZIP_INVALID, a firmware
 * warning), since this reader serves more than one domain.
 */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
  constructor(
    readonly kind: 'invalid' | 'limit',
    message: string,
    /** The byte the problem is at, when there is one. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

function invalid(message: string, offset: number): ZipFormatError {
  return new ZipFormatError('invalid', `${message} (byte ${offset})`, offset);
}

/** A buffer as a zip source (a zip inside a firmware image). */
export function bufferSource(buf: Buffer): ZipSource {
  return {
    size: buf.length,
    read(offset, length, what) {
      if (offset < 0 || length < 0 || offset + length > buf.length)
        throw new ZipFormatError('invalid', `${what} lies outside the archive`, offset);
      return buf.subarray(offset, offset + length);
    },
  };
}

function findDirectory(file: ZipSource): { offset: number; count: number; size: number } {
  // APPNOTE 4.3.16: the end record is the last 22 bytes plus a comment of at most 65535 bytes.
  const tailLength = Math.min(file.size, 22 + MAX_COMMENT);
  const tail = file.read(file.size - tailLength, tailLength, 'end of central directory');
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      at = i;
      break;
    }
  }
  if (at < 0) throw invalid('no end-of-central-directory record; not a zip file', file.size);
  const eocdOffset = file.size - tailLength + at;
  let count = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    // APPNOTE 4.3.15: a ZIP64 locator sits just before the end record.
    if (eocdOffset < 20) throw invalid('ZIP64 locator missing', eocdOffset);
    const locator = file.read(eocdOffset - 20, 20, 'ZIP64 locator');
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIG)
      throw invalid('ZIP64 locator missing', eocdOffset - 20);
    const recordOffset = Number(locator.readBigUInt64LE(8));
    const record = file.read(recordOffset, 56, 'ZIP64 end record');
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIG)
      throw invalid('bad ZIP64 end record', recordOffset);
    count = Number(record.readBigUInt64LE(32));
    size = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  return { offset, count, size };
}

function readZip64Extra(
  extra: Buffer,
  entry: { size: number; compressedSize: number; localOffset: number },
): void {
  // APPNOTE 4.5.3: the ZIP64 extra field holds, in order, only the fields whose 32-bit value is 0xFFFFFFFF.
  let i = 0;
  while (i + 4 <= extra.length) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let p = i + 4;
      const end = Math.min(p + length, extra.length);
      const next = (): number | undefined => {
        if (p + 8 > end) return undefined;
        const v = Number(extra.readBigUInt64LE(p));
        p += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff)
        entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    i += 4 + length;
  }
}

/**
 * The central directory (APPNOTE 4.3.12, ZIP64 4.3.14–4.3.15), every entry checked to lie
 * inside it; throws ZipFormatError.
 */
export function readZipDirectory(file: ZipSource, limits: ZipLimits): CentralEntry[] {
  const { offset, count, size } = findDirectory(file);
  if (count > limits.maxEntries) {
    throw new ZipFormatError(
      'limit',
      `${count} entries, more than the limit of ${limits.maxEntries}`,
    );
  }
  const directory = file.read(offset, size, 'central directory');
  const entries: CentralEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n += 1) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_SIG) {
      throw invalid(`central directory entry ${n} is malformed`, offset + p);
    }
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw invalid(`central directory entry ${n} overruns`, offset + p);
    const entry = {
      name: directory.toString('utf8', p + 46, p + 46 + nameLength),
      flags: directory.readUInt16LE(p + 8),
      method: directory.readUInt16LE(p + 10),
      crc: directory.readUInt32LE(p + 16),
      compressedSize: directory.readUInt32LE(p + 20),
      size: directory.readUInt32LE(p + 24),
      localOffset: directory.readUInt32LE(p + 42),
      madeBy: directory.readUInt16LE(p + 4),
      externalAttributes: directory.readUInt32LE(p + 38),
    };
    readZip64Extra(
      directory.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength),
      entry,
    );
    entries.push(entry);
    p = end;
  }
  return entries;
}

/**
 * One entry's bytes, or why it is skipped (encrypted, another method, a bound, a size or CRC
 * that does not match); throws ZipFormatError when its local header is missing.
 */
export function readZipEntry(
  file: ZipSource,
  entry: CentralEntry,
  limits: ZipLimits,
): Buffer | string {
  if ((entry.flags & 0x1) !== 0) return 'encrypted';
  if (entry.method !== 0 && entry.method !== 8)
    return `compression method ${entry.method} is not supported`;
  if (entry.size > limits.maxEntryBytes) {
    return `declares ${entry.size} bytes, more than the limit of ${limits.maxEntryBytes}`;
  }
  if (
    entry.size > (limits.ratioFloor ?? 0) &&
    entry.size > Math.max(1, entry.compressedSize) * limits.maxRatio
  ) {
    return `compression ratio above ${limits.maxRatio}:1 (zip-bomb guard)`;
  }
  const header = file.read(entry.localOffset, 30, `local header of ${entry.name}`);
  if (header.readUInt32LE(0) !== LOCAL_SIG)
    throw invalid(`local header of ${entry.name} is missing`, entry.localOffset);
  const dataOffset = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = file.read(dataOffset, entry.compressedSize, `data of ${entry.name}`);
  let data: Buffer;
  if (entry.method === 0) {
    data = raw;
  } else {
    try {
      // The declared size may lie: cap inflation at the declared size plus one byte to detect it.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size + 1) });
    } catch (error) {
      return `cannot be inflated: ${(error as Error).message}`;
    }
  }
  if (data.length !== entry.size)
    return `inflates to ${data.length} bytes, not the ${entry.size} declared`;
  if (crc32(data) >>> 0 !== entry.crc >>> 0) return 'CRC-32 does not match';
  return data;
}
