/**
 * The layout of an image beyond its files: the chain of containers at offset 0 (the image's
 * format, e.g. `gzip/tar` or `uimage/gzip/cpio`) with the facts each records about itself (a
 * header time, its members' order) and the attributes of the members of the file system at the
 * end of the chain, which the unpacker mounts at `/`. File systems carved from elsewhere in a raw
 * dump keep their bytes compared but not their attributes (their differences show as the
 * image's `container` bytes).
 */
import { createHash } from 'node:crypto';
import { UnpackBudget, type UnpackLimits } from '../limits.js';
import { containerAt, type CarveType } from '../unpack/carve.js';
import { gunzipBounded } from '../unpack/gzip.js';
import { readSquashfsSuperblock } from '../unpack/squashfs/superblock.js';
import { readUImageHeader, UIMAGE_HEADER_SIZE } from '../unpack/uimage.js';
import { unxzBounded } from '../unpack/xz.js';
import { cpioMembers, tarMembers, type ArchiveMember } from './archive-members.js';
import type { EntryAttributes } from './attributes.js';
import { squashfsCreationTime, squashfsMembers } from './squashfs-listing.js';

/** One container of the chain at offset 0. */
export interface ContainerFacts {
  /** Where it is, in the unpacker's notation: `gzip@0x0`, `gzip@0x0>tar@0x0`. */
  readonly where: string;
  readonly type: CarveType;
  /** The container's bytes (compressed stream, archive or file-system image). */
  readonly bytes: Buffer;
  /** The time its header records (gzip MTIME, uImage ih_time, squashfs mkfs_time). */
  readonly time?: number;
  /** Member paths in archive order (tar, cpio). */
  readonly order?: readonly string[];
}

export interface ImageLayout {
  readonly containers: readonly ContainerFacts[];
  readonly attributes: ReadonlyMap<string, EntryAttributes>;
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function membersLayout(members: readonly ArchiveMember[]): Map<string, EntryAttributes> {
  return new Map(members.map((m) => [m.path, m.attributes]));
}

/**
 * Reads the chain of containers at offset 0 of `image` within `limits` (decompressing again
 * what the unpacker decompressed: it keeps only the files). A stream that does not decode ends
 * the chain; the unpacker has already reported why.
 */
export function readLayout(image: Buffer, limits: UnpackLimits): ImageLayout {
  const budget = new UnpackBudget(limits);
  const containers: ContainerFacts[] = [];
  let attributes = new Map<string, EntryAttributes>();
  let buf = image;
  let chain = '';
  for (let depth = 0; depth <= limits.maxDepth; depth += 1) {
    const type = containerAt(buf, 0);
    if (type === undefined) break;
    const where = `${chain === '' ? '' : `${chain}>`}${type}@0x0`;
    chain = where;
    if (type === 'gzip') {
      const result = gunzipBounded(buf, 0, budget, where);
      containers.push({
        where,
        type,
        bytes: buf.subarray(0, result.consumed),
        time: buf.readUInt32LE(4),
      });
      if (!result.ok) break;
      buf = result.data;
    } else if (type === 'xz') {
      const result = unxzBounded(buf, 0, budget, where);
      containers.push({ where, type, bytes: buf.subarray(0, result.consumed) });
      if (!result.ok) break;
      buf = result.data;
    } else if (type === 'uimage') {
      const header = readUImageHeader(buf, 0);
      if (header === undefined) break;
      const end = UIMAGE_HEADER_SIZE + header.dataSize;
      // u-boot include/image.h: ih_time, big-endian, at byte 8 of the legacy header.
      containers.push({ where, type, bytes: buf.subarray(0, end), time: buf.readUInt32BE(8) });
      buf = buf.subarray(UIMAGE_HEADER_SIZE, end);
    } else if (type === 'tar' || type === 'cpio') {
      const members = type === 'tar' ? tarMembers(buf) : cpioMembers(buf);
      containers.push({ where, type, bytes: buf, order: members.map((m) => m.path) });
      attributes = membersLayout(members);
      break;
    } else if (type === 'squashfs') {
      const superblock = readSquashfsSuperblock(buf, 0);
      const bytes = buf.subarray(0, superblock?.bytesUsed ?? buf.length);
      const time = squashfsCreationTime(bytes);
      containers.push({ where, type, bytes, ...(time === undefined ? {} : { time }) });
      attributes = membersLayout(squashfsMembers(bytes, limits) ?? []);
      break;
    } else {
      // A zip, JFFS2 or CramFS file system: its files are compared, its own bytes as a whole.
      containers.push({ where, type, bytes: buf });
      break;
    }
  }
  return { containers, attributes };
}
