/**
 * The member headers of tar and cpio archives: each member's path, in archive order, with the
 * attributes its header records. The unpackers (src/firmware/unpack) produce the bytes; this
 * reads only what they leave out (times, owners, modes, order), walking the same headers with
 * the same bounds: a header that does not parse ends the walk.
 */
import { field, isTarHeader, numeric, parsePax } from '../unpack/tar.js';
import { normaliseMemberPath } from '../tree.js';
import type { EntryAttributes } from './attributes.js';

export interface ArchiveMember {
  readonly path: string;
  readonly attributes: EntryAttributes;
}

const BLOCK = 512;
/** The most members read: the unpacker's file limit is lower; this only keeps the walk finite. */
const MAX_MEMBERS = 1_000_000;

/** Members of a tar archive (ustar, GNU long names, pax `path`/`mtime`/`uid`/`gid`/names). */
export function tarMembers(buf: Buffer): ArchiveMember[] {
  const members: ArchiveMember[] = [];
  let offset = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  while (offset + BLOCK <= buf.length && members.length < MAX_MEMBERS) {
    if (!isTarHeader(buf, offset)) break;
    const size = numeric(buf, offset + 124, 12);
    if (size === undefined || offset + BLOCK + size > buf.length) break;
    const type = String.fromCharCode(buf[offset + 156] ?? 0);
    const data = buf.subarray(offset + BLOCK, offset + BLOCK + size);
    const header = offset;
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (type === 'K' || type === 'g') continue;
    const prefix = field(buf, header + 345, 155);
    const base = field(buf, header, 100);
    const ustar = buf.toString('latin1', header + 257, header + 263) === 'ustar\0';
    const name =
      pax.get('path') ?? longName ?? (ustar && prefix !== '' ? `${prefix}/${base}` : base);
    const paxNumber = (key: string): number | undefined => {
      const text = pax.get(key);
      return text === undefined || !/^\d+(\.\d+)?$/.test(text)
        ? undefined
        : Math.floor(Number(text));
    };
    const attributes: EntryAttributes = {
      ...optional('mtime', paxNumber('mtime') ?? numeric(buf, header + 136, 12)),
      ...optional('mode', mask(numeric(buf, header + 100, 8))),
      ...optional('uid', paxNumber('uid') ?? numeric(buf, header + 108, 8)),
      ...optional('gid', paxNumber('gid') ?? numeric(buf, header + 116, 8)),
      ...optional('user', pax.get('uname') ?? field(buf, header + 265, 32)),
      ...optional('group', pax.get('gname') ?? field(buf, header + 297, 32)),
    };
    longName = undefined;
    pax = new Map();
    const path = normaliseMemberPath(name);
    if (path === undefined || path === '/') continue;
    members.push({ path, attributes });
  }
  return members;
}

/** Members of a cpio archive: newc and crc (070701/070702) and odc (070707), cpio(5). */
export function cpioMembers(buf: Buffer): ArchiveMember[] {
  const members: ArchiveMember[] = [];
  let offset = 0;
  while (members.length < MAX_MEMBERS) {
    const magic = buf.toString('latin1', offset, offset + 6);
    let header: {
      size: number;
      align: number;
      nameSize: number;
      fileSize: number;
    } & EntryAttributes;
    if ((magic === '070701' || magic === '070702') && offset + 110 <= buf.length) {
      const hex = (i: number): number | undefined => {
        const text = buf.toString('latin1', offset + 6 + i * 8, offset + 14 + i * 8);
        return /^[0-9a-fA-F]{8}$/.test(text) ? parseInt(text, 16) : undefined;
      };
      const [mode, uid, gid, mtime, fileSize, nameSize] = [
        hex(1),
        hex(2),
        hex(3),
        hex(5),
        hex(6),
        hex(11),
      ];
      if ([mode, uid, gid, mtime, fileSize, nameSize].some((v) => v === undefined)) break;
      header = {
        size: 110,
        align: 4,
        nameSize: nameSize ?? 0,
        fileSize: fileSize ?? 0,
        ...optional('mode', mask(mode)),
        ...optional('uid', uid),
        ...optional('gid', gid),
        ...optional('mtime', mtime),
      };
    } else if (magic === '070707' && offset + 76 <= buf.length) {
      const oct = (start: number, length: number): number | undefined => {
        const text = buf.toString('latin1', offset + start, offset + start + length);
        return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
      };
      const [mode, uid, gid, mtime, nameSize, fileSize] = [
        oct(18, 6),
        oct(24, 6),
        oct(30, 6),
        oct(48, 11),
        oct(59, 6),
        oct(65, 11),
      ];
      if ([mode, uid, gid, mtime, fileSize, nameSize].some((v) => v === undefined)) break;
      header = {
        size: 76,
        align: 1,
        nameSize: nameSize ?? 0,
        fileSize: fileSize ?? 0,
        ...optional('mode', mask(mode)),
        ...optional('uid', uid),
        ...optional('gid', gid),
        ...optional('mtime', mtime),
      };
    } else break;
    const nameStart = offset + header.size;
    if (header.nameSize === 0 || header.nameSize > 4096 || nameStart + header.nameSize > buf.length)
      break;
    const name = buf.toString('latin1', nameStart, nameStart + header.nameSize - 1);
    const dataStart = pad(nameStart + header.nameSize, header.align);
    if (dataStart + header.fileSize > buf.length) break;
    offset = pad(dataStart + header.fileSize, header.align);
    if (name === 'TRAILER!!!') break;
    const path = normaliseMemberPath(name);
    if (path === undefined || path === '/') continue;
    const { size: _size, align: _align, nameSize: _n, fileSize: _f, ...attributes } = header;
    members.push({ path, attributes });
  }
  return members;
}

const pad = (value: number, align: number): number => Math.ceil(value / align) * align;

const mask = (mode: number | undefined): number | undefined =>
  mode === undefined ? undefined : mode & 0o7777;

function optional<K extends keyof EntryAttributes>(
  key: K,
  value: EntryAttributes[K] | undefined,
): Partial<EntryAttributes> {
  return value === undefined || value === '' ? {} : { [key]: value };
}
