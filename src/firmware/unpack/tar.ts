import type { UnpackBudget } from '../limits.js';
import { MemoryTree, normaliseMemberPath } from '../tree.js';

/** Where a tar header says "ustar" (POSIX.1-1988 ustar and GNU both put it at byte 257). */
export const TAR_MAGIC_OFFSET = 257;
const BLOCK = 512;

/** Reads a NUL-terminated field as latin1 (names are bytes; latin1 keeps them one-to-one). */
export function field(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? slice.length : nul).toString('latin1');
}

/** A numeric field: octal text, or GNU base-256 when the high bit of the first byte is set. */
export function numeric(buf: Buffer, start: number, length: number): number | undefined {
  const first = buf[start] ?? 0;
  if (first & 0x80) {
    let value = 0;
    for (let i = 1; i < length; i += 1) value = value * 256 + (buf[start + i] ?? 0);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = field(buf, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

/** True when the 512 bytes at `offset` are a tar header with a valid checksum (POSIX.1 §10.1.1). */
export function isTarHeader(buf: Buffer, offset: number): boolean {
  if (offset < 0 || offset + BLOCK > buf.length) return false;
  const magic = buf.toString('latin1', offset + TAR_MAGIC_OFFSET, offset + TAR_MAGIC_OFFSET + 5);
  if (magic !== 'ustar') return false;
  const stored = numeric(buf, offset + 148, 8);
  if (stored === undefined) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) {
    sum += i >= 148 && i < 156 ? 0x20 : (buf[offset + i] ?? 0);
  }
  return sum === stored;
}

/** The pax extended header records (`len key=value\n`), POSIX.1-2001 pax §"pax Header Block". */
export function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = parseInt(data.toString('latin1', at, space), 10);
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/**
 * Decodes a tar archive (ustar, GNU long names, pax) into a tree. Members whose names climb out
 * of the root are rejected and reported; symlinks stay links; hard links share the target's
 * bytes. Returns the bytes consumed so that carving knows where the archive ends.
 */
export function decodeTar(
  buf: Buffer,
  budget: UnpackBudget,
  where: string,
): { tree: MemoryTree; size: number } {
  const tree = new MemoryTree();
  let offset = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  while (offset + BLOCK <= buf.length) {
    if (buf[offset] === 0 && buf.subarray(offset, offset + BLOCK).every((b) => b === 0)) {
      offset += BLOCK;
      // Two zero blocks end the archive; tolerate one (some writers stop there).
      if (
        offset + BLOCK <= buf.length &&
        buf.subarray(offset, offset + BLOCK).every((b) => b === 0)
      )
        offset += BLOCK;
      break;
    }
    if (!isTarHeader(buf, offset)) {
      budget.warn(
        'corrupt',
        `${where}@0x${offset.toString(16)}`,
        'tar header checksum or magic invalid; rest of archive skipped',
      );
      break;
    }
    const size = numeric(buf, offset + 124, 12);
    const type = String.fromCharCode(buf[offset + 156] ?? 0);
    const header = offset;
    const dataStart = offset + BLOCK;
    if (size === undefined || dataStart + size > buf.length) {
      budget.warn(
        'truncated',
        `${where}@0x${offset.toString(16)}`,
        `tar member claims ${String(size)} bytes, ${buf.length - dataStart} remain`,
      );
      offset = buf.length;
      break;
    }
    const data = buf.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'K') {
      longLink = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(buf, header + 345, 155);
    const baseName = field(buf, header, 100);
    const isUstar = buf.toString('latin1', header + 257, header + 263) === 'ustar\0';
    const name =
      pax.get('path') ??
      longName ??
      (isUstar && prefix !== '' ? `${prefix}/${baseName}` : baseName);
    const linkName = pax.get('linkpath') ?? longLink ?? field(buf, header + 157, 100);
    longName = undefined;
    longLink = undefined;
    pax = new Map();
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
    if (type === '5') {
      if (budget.takeFile(path, 0)) tree.put({ path, type: 'dir', size: 0 });
    } else if (type === '2') {
      if (budget.takeFile(path, 0)) tree.put({ path, type: 'symlink', size: 0, target: linkName });
    } else if (type === '1') {
      const target = normaliseMemberPath(linkName);
      const bytes = target === undefined ? undefined : tree.read(target);
      if (target === undefined)
        budget.warn('path_traversal', `${where}:${name}`, 'hard link target leaves the root');
      else if (budget.takeFile(path, bytes?.length ?? 0))
        tree.put({ path, type: 'file', size: bytes?.length ?? 0 }, bytes ?? Buffer.alloc(0));
    } else if (type === '0' || type === '\0' || type === '7') {
      if (budget.takeFile(path, size)) tree.put({ path, type: 'file', size }, data);
    } else if (budget.takeFile(path, 0)) {
      tree.put({ path, type: 'other', size: 0 });
    }
  }
  return { tree, size: Math.min(offset, buf.length) };
}
