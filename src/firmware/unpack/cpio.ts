import type { UnpackBudget } from '../limits.js';
import { MemoryTree, normaliseMemberPath } from '../tree.js';

/** The three cpio magics: newc (070701), newc with checksum "crc" (070702), portable odc (070707). */
export const CPIO_MAGICS = ['070701', '070702', '070707'] as const;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const TRAILER = 'TRAILER!!!';

interface CpioHeader {
  readonly headerSize: number;
  readonly mode: number;
  readonly ino: number;
  readonly nlink: number;
  readonly nameSize: number;
  readonly fileSize: number;
  /** newc pads header+name and data to 4 bytes; odc does not pad. */
  readonly align: number;
}

function parseNumber(text: string, radix: 8 | 16): number | undefined {
  const ok = radix === 16 ? /^[0-9a-fA-F]+$/.test(text) : /^[0-7]+$/.test(text);
  return ok ? parseInt(text, radix) : undefined;
}

/** Parses the header at `offset` (cpio(5): "New ASCII Format" and "Portable ASCII Format"). */
function parseHeader(buf: Buffer, offset: number): CpioHeader | undefined {
  const magic = buf.toString('latin1', offset, offset + 6);
  if (magic === '070701' || magic === '070702') {
    if (offset + 110 > buf.length) return undefined;
    const hex = (i: number): number | undefined =>
      parseNumber(buf.toString('latin1', offset + 6 + i * 8, offset + 14 + i * 8), 16);
    const [ino, mode, nlink, fileSize, nameSize] = [hex(0), hex(1), hex(4), hex(6), hex(11)];
    if (
      ino === undefined ||
      mode === undefined ||
      nlink === undefined ||
      fileSize === undefined ||
      nameSize === undefined
    )
      return undefined;
    return { headerSize: 110, mode, ino, nlink, nameSize, fileSize, align: 4 };
  }
  if (magic === '070707') {
    if (offset + 76 > buf.length) return undefined;
    const oct = (start: number, length: number): number | undefined =>
      parseNumber(buf.toString('latin1', offset + start, offset + start + length), 8);
    const [ino, mode, nlink, nameSize, fileSize] = [
      oct(12, 6),
      oct(18, 6),
      oct(36, 6),
      oct(59, 6),
      oct(65, 11),
    ];
    if (
      ino === undefined ||
      mode === undefined ||
      nlink === undefined ||
      nameSize === undefined ||
      fileSize === undefined
    )
      return undefined;
    return { headerSize: 76, mode, ino, nlink, nameSize, fileSize, align: 1 };
  }
  return undefined;
}

/**
 * True when a plausible cpio header starts at `offset` (used by carving): the numeric fields
 * parse, and the name that follows is printable and NUL-terminated where the header says.
 */
export function isCpioHeader(buf: Buffer, offset: number): boolean {
  const header = parseHeader(buf, offset);
  if (header === undefined || header.nameSize === 0 || header.nameSize > 4096) return false;
  const nameStart = offset + header.headerSize;
  const nameEnd = nameStart + header.nameSize - 1;
  if (nameEnd >= buf.length || buf[nameEnd] !== 0) return false;
  for (let i = nameStart; i < nameEnd; i += 1) {
    const c = buf[i] ?? 0;
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

const pad = (value: number, align: number): number => Math.ceil(value / align) * align;

/**
 * Decodes a cpio archive (newc, crc or odc) into a tree, rejecting names that leave the root and
 * members whose claimed size runs past the data. Returns the bytes consumed up to and including
 * the trailer.
 */
export function decodeCpio(
  buf: Buffer,
  budget: UnpackBudget,
  where: string,
): { tree: MemoryTree; size: number } {
  const tree = new MemoryTree();
  // newc stores a hard-linked file's bytes with the last link only: remember the names by inode.
  const linksByInode = new Map<number, string[]>();
  let offset = 0;
  for (;;) {
    const at = `${where}@0x${offset.toString(16)}`;
    const header = parseHeader(buf, offset);
    if (header === undefined) {
      budget.warn('corrupt', at, 'no cpio header where one was expected; rest of archive skipped');
      break;
    }
    const nameStart = offset + header.headerSize;
    if (
      header.nameSize === 0 ||
      header.nameSize > 4096 ||
      nameStart + header.nameSize > buf.length
    ) {
      budget.warn('truncated', at, `cpio name of ${header.nameSize} bytes does not fit`);
      offset = buf.length;
      break;
    }
    const name = buf.toString('latin1', nameStart, nameStart + header.nameSize - 1);
    const dataStart = pad(nameStart + header.nameSize, header.align);
    if (dataStart + header.fileSize > buf.length) {
      budget.warn(
        'truncated',
        at,
        `cpio member ${name} claims ${header.fileSize} bytes, ${Math.max(0, buf.length - dataStart)} remain`,
      );
      offset = buf.length;
      break;
    }
    offset = pad(dataStart + header.fileSize, header.align);
    if (name === TRAILER) break;
    const data = buf.subarray(dataStart, dataStart + header.fileSize);
    const path = normaliseMemberPath(name);
    if (path === undefined) {
      budget.warn(
        'path_traversal',
        `${where}:${name}`,
        'member name leaves the archive root; rejected',
      );
      continue;
    }
    if (path === '/') continue;
    const kind = header.mode & S_IFMT;
    if (!budget.takeFile(path, kind === S_IFREG ? header.fileSize : 0)) continue;
    if (kind === S_IFDIR) tree.put({ path, type: 'dir', size: 0 });
    else if (kind === S_IFLNK)
      tree.put({ path, type: 'symlink', size: 0, target: data.toString('latin1') });
    else if (kind === S_IFREG) {
      tree.put({ path, type: 'file', size: data.length }, data);
      if (header.nlink > 1 && header.align === 4) {
        const names = linksByInode.get(header.ino) ?? [];
        names.push(path);
        linksByInode.set(header.ino, names);
        if (data.length > 0)
          for (const other of names)
            tree.put({ path: other, type: 'file', size: data.length }, data);
      }
    } else tree.put({ path, type: 'other', size: 0 });
  }
  return { tree, size: Math.min(offset, buf.length) };
}
