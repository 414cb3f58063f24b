/**
 * Zip images (vendors often ship firmware as a zip), read through the bounded zip reader that
 * OSV archives use (src/zip): stored and deflated entries, ZIP64, every declared size checked
 * against the budget before it is inflated, and inflation capped at the declared size.
 */
import type { UnpackBudget, UnpackWarningReason } from '../limits.js';
import { MemoryTree, normaliseMemberPath } from '../tree.js';
import {
  bufferSource,
  readZipDirectory,
  readZipEntry,
  ZipFormatError,
  type CentralEntry,
} from '../../zip/zip-archive.js';

/** A local file header's signature (APPNOTE 4.3.7), "PK\3\4". */
export const ZIP_LOCAL_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EOCD_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP64_LOCATOR = 0x07064b50;

/** Unix file types in the high bits of a Unix entry's external attributes (stat.h). */
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/**
 * The length of the zip archive whose first local header is at `offset`: up to the end of the
 * first end-of-central-directory record whose directory ends right before it (APPNOTE 4.3.16),
 * or that a ZIP64 locator precedes. Undefined when there is none: a "PK\3\4" in other data.
 */
export function zipLength(buf: Buffer, offset: number): number | undefined {
  if (offset + 30 > buf.length || !buf.subarray(offset, offset + 4).equals(ZIP_LOCAL_MAGIC))
    return undefined;
  let at = buf.indexOf(EOCD_MAGIC, offset + 30);
  while (at !== -1 && at + 22 <= buf.length) {
    const size = buf.readUInt32LE(at + 12);
    const start = buf.readUInt32LE(at + 16);
    const end = at + 22 + buf.readUInt16LE(at + 20);
    const zip64 = at >= 20 && buf.readUInt32LE(at - 20) === ZIP64_LOCATOR;
    if (end <= buf.length && (zip64 || offset + start + size === at)) return end - offset;
    at = buf.indexOf(EOCD_MAGIC, at + 1);
  }
  return undefined;
}

/** True when a zip archive starts at `offset` (its local header and end record are found). */
export function isZipHeader(buf: Buffer, offset: number): boolean {
  return zipLength(buf, offset) !== undefined;
}

function skipReason(reason: string): UnpackWarningReason {
  if (reason.includes('ratio')) return 'limit.ratio';
  if (reason.includes('limit')) return 'limit.file_bytes';
  if (reason === 'encrypted' || reason.includes('method')) return 'unsupported';
  return 'corrupt';
}

function typeOf(entry: CentralEntry): 'file' | 'dir' | 'symlink' | 'other' {
  if (entry.name.endsWith('/')) return 'dir';
  if (entry.madeBy >> 8 !== 3) return 'file';
  const type = (entry.externalAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return 'symlink';
  if (type === S_IFDIR) return 'dir';
  return type === S_IFREG || type === 0 ? 'file' : 'other';
}

/** Unpacks the zip archive `archive` (exactly its bytes) into a tree. */
export function decodeZip(archive: Buffer, budget: UnpackBudget, where: string): MemoryTree {
  const tree = new MemoryTree();
  const source = bufferSource(archive);
  const limits = {
    maxEntries: budget.limits.maxFiles,
    maxEntryBytes: budget.limits.maxFileBytes,
    maxTotalBytes: budget.limits.maxTotalBytes,
    maxRatio: budget.limits.maxRatio,
    ratioFloor: 1024 * 1024,
  };
  let entries: CentralEntry[];
  try {
    entries = readZipDirectory(source, limits);
  } catch (error) {
    const limit = error instanceof ZipFormatError && error.kind === 'limit';
    budget.warn(limit ? 'limit.files' : 'corrupt', where, (error as Error).message);
    return tree;
  }
  for (const entry of entries) {
    const path = normaliseMemberPath(entry.name);
    const at = `${where}:${entry.name}`;
    if (path === undefined) {
      budget.warn('path_traversal', at, 'member name climbs out of the root; rejected');
      continue;
    }
    if (path === '/') continue;
    const type = typeOf(entry);
    if (type === 'dir' || type === 'other') {
      if (budget.takeFile(at, 0)) tree.put({ path, type, size: 0 });
      continue;
    }
    if (!budget.takeFile(at, type === 'file' ? entry.size : 0)) continue;
    let data: Buffer | string;
    try {
      data = readZipEntry(source, entry, limits);
    } catch (error) {
      data = (error as Error).message;
    }
    if (typeof data === 'string') {
      budget.warn(skipReason(data), at, `zip member not read: ${data}`);
      continue;
    }
    if (type === 'symlink') tree.put({ path, type, size: 0, target: data.toString('utf8') });
    else tree.put({ path, type, size: data.length }, data);
  }
  return tree;
}
