import type { UnpackBudget } from '../limits.js';
import { MemoryTree } from '../tree.js';
import { CarveScanner, containerAt, type Carve, type CarveType } from './carve.js';
import { decodeCpio } from './cpio.js';
import { cramfsLength, decodeCramfs } from './cramfs.js';
import { decodeJffs2, jffs2Length } from './jffs2.js';
import { gunzipBounded } from './gzip.js';
import { decodeSquashfs } from './squashfs/decode.js';
import { readSquashfsSuperblock } from './squashfs/superblock.js';
import { decodeTar } from './tar.js';
import { readUImageHeader, UIMAGE_HEADER_SIZE } from './uimage.js';
import { unxzBounded } from './xz.js';
import { decodeZip, zipLength } from './zip.js';

/** What unpacking one byte stream produced. */
export interface Unpacked {
  readonly tree: MemoryTree;
  readonly carves: Carve[];
  /** The container chain at offset 0 (`tar`, `gzip/tar`, `uimage/gzip/cpio`), or `raw`. */
  readonly format: string;
}

interface Expansion {
  readonly tree: MemoryTree;
  readonly hasFileSystem: boolean;
  readonly format: string;
}

interface Decoded {
  readonly size: number;
  readonly expansion?: Expansion;
  readonly detail?: string;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Bytes that are all one value (erased flash 0xff, zero padding) carry nothing to scan. */
function isUniform(buf: Buffer): boolean {
  const first = buf[0];
  for (let i = 1; i < buf.length; i += 1) if (buf[i] !== first) return false;
  return true;
}

/**
 * Unpacks an image: containers at offset 0 are decoded, anything else is carved by magic, and
 * every decompressed payload is unpacked again until `maxDepth`. The first file system found
 * is the tree's root; later ones are mounted at `/@0x<offset>`, and bytes outside every carve
 * (a raw kernel, a bootloader) become `/@0x<offset>.bin` so content rules still see them.
 */
export function unpackBytes(buf: Buffer, budget: UnpackBudget, blobName: string): Unpacked {
  const carves: Carve[] = [];
  const expansion = expand(buf, 0, undefined, blobName, budget, carves);
  return { tree: expansion.tree, carves, format: expansion.format };
}

function expand(
  buf: Buffer,
  depth: number,
  within: string | undefined,
  blobName: string,
  budget: UnpackBudget,
  carves: Carve[],
): Expansion {
  const tree = new MemoryTree();
  const where = within ?? 'image';
  if (depth > budget.limits.maxDepth) {
    budget.warn(
      'limit.depth',
      where,
      `containers nested deeper than ${budget.limits.maxDepth}; kept as a blob`,
    );
    tree.put({ path: `/${blobName}`, type: 'file', size: buf.length, opaque: true }, buf);
    return { tree, hasFileSystem: false, format: 'raw' };
  }
  const scanner = new CarveScanner(buf);
  let cursor = 0;
  let hasFileSystem = false;
  let format = 'raw';
  let found = 0;
  while (cursor < buf.length) {
    const candidate = scanner.nextCandidate(cursor);
    if (candidate === undefined) break;
    const before = budget.warnings.length;
    const carveIndex = carves.length;
    const decoded = decode(buf, candidate.offset, candidate.type, depth, within, budget, carves);
    if (decoded === undefined) {
      // A magic that does not decode is a false hit inside other data, not a finding.
      budget.warnings.splice(before);
      carves.splice(carveIndex);
      cursor = candidate.offset + 1;
      continue;
    }
    found += 1;
    // The outer carve before the ones found inside it.
    carves.splice(carveIndex, 0, {
      offset: candidate.offset,
      type: candidate.type,
      size: decoded.size,
      ...(within === undefined ? {} : { within }),
      ...(decoded.detail === undefined ? {} : { detail: decoded.detail }),
    });
    if (candidate.offset === 0 && found === 1) {
      format =
        decoded.expansion === undefined || decoded.expansion.format === 'raw'
          ? candidate.type
          : `${candidate.type}/${decoded.expansion.format}`;
    }
    if (decoded.expansion !== undefined) {
      const mount =
        decoded.expansion.hasFileSystem && !hasFileSystem ? '/' : `/@${hex(candidate.offset)}`;
      hasFileSystem ||= decoded.expansion.hasFileSystem;
      tree.merge(decoded.expansion.tree, mount);
    }
    cursor = candidate.offset + Math.max(1, decoded.size);
  }
  if (found === 0) {
    tree.put({ path: `/${blobName}`, type: 'file', size: buf.length }, buf);
    return { tree, hasFileSystem: false, format: 'raw' };
  }
  // Everything between and after carves that is not erased flash.
  const covered = carves.filter((c) => c.within === within).sort((a, b) => a.offset - b.offset);
  let at = 0;
  for (const carve of covered) {
    if (carve.offset > at) addGap(tree, buf, at, carve.offset);
    at = Math.max(at, carve.offset + carve.size);
  }
  if (at < buf.length) addGap(tree, buf, at, buf.length);
  return { tree, hasFileSystem, format };
}

function addGap(tree: MemoryTree, buf: Buffer, start: number, end: number): void {
  const bytes = buf.subarray(start, end);
  if (bytes.length < 16 || isUniform(bytes)) return;
  tree.put({ path: `/@${hex(start)}.bin`, type: 'file', size: bytes.length }, bytes);
}

/** Decodes one container; undefined when its magic turns out not to start a real one. */
function decode(
  buf: Buffer,
  offset: number,
  type: CarveType,
  depth: number,
  within: string | undefined,
  budget: UnpackBudget,
  carves: Carve[],
): Decoded | undefined {
  const where = `${within === undefined ? '' : `${within}>`}${type}@${hex(offset)}`;
  const rest = buf.subarray(offset);
  const inner = (data: Buffer, name: string): Expansion =>
    expand(data, depth + 1, where, name, budget, carves);
  switch (type) {
    case 'tar': {
      const { tree, size } = decodeTar(rest, budget, where);
      return tree.size === 0 && size <= 1024
        ? undefined
        : { size, expansion: { tree, hasFileSystem: true, format: 'raw' } };
    }
    case 'cpio': {
      const { tree, size } = decodeCpio(rest, budget, where);
      return tree.size === 0 && size === 0
        ? undefined
        : { size, expansion: { tree, hasFileSystem: true, format: 'raw' } };
    }
    case 'zip': {
      const size = zipLength(buf, offset);
      if (size === undefined) return undefined;
      const tree = decodeZip(rest.subarray(0, size), budget, where);
      return { size, expansion: { tree, hasFileSystem: true, format: 'raw' } };
    }
    case 'jffs2': {
      const size = jffs2Length(buf, offset);
      const tree = decodeJffs2(rest.subarray(0, size), budget, where);
      return tree.size === 0
        ? undefined
        : { size, expansion: { tree, hasFileSystem: true, format: 'raw' } };
    }
    case 'cramfs': {
      const size = cramfsLength(buf, offset);
      if (size === undefined) return undefined;
      const tree = decodeCramfs(rest.subarray(0, size), budget, where);
      return { size, expansion: { tree, hasFileSystem: true, format: 'raw' } };
    }
    case 'squashfs': {
      const superblock = readSquashfsSuperblock(buf, offset);
      if (superblock === undefined) return undefined;
      const tree = decodeSquashfs(rest.subarray(0, superblock.bytesUsed), budget, where);
      return {
        size: superblock.bytesUsed,
        ...(tree === undefined ? {} : { expansion: { tree, hasFileSystem: true, format: 'raw' } }),
      };
    }
    case 'gzip': {
      const result = gunzipBounded(buf, offset, budget, where);
      if (!result.ok) {
        const limited = budget.warnings.some(
          (w) => w.where === where && w.reason.startsWith('limit.'),
        );
        return limited ? { size: result.consumed } : undefined;
      }
      return { size: result.consumed, expansion: inner(result.data, `@${hex(offset)}.gz.out`) };
    }
    case 'xz': {
      const result = unxzBounded(buf, offset, budget, where);
      if (!result.ok) {
        const reported = budget.warnings.some((w) => w.where === where && w.reason !== 'corrupt');
        return reported ? { size: result.consumed } : undefined;
      }
      return { size: result.consumed, expansion: inner(result.data, `@${hex(offset)}.xz.out`) };
    }
    case 'uimage': {
      const header = readUImageHeader(buf, offset);
      if (header === undefined) return undefined;
      const size = UIMAGE_HEADER_SIZE + header.dataSize;
      const payload = buf.subarray(offset + UIMAGE_HEADER_SIZE, offset + size);
      const detail = `name=${JSON.stringify(header.name)} type=${header.type} comp=${header.compression} data_crc=${header.dataCrcOk ? 'ok' : 'MISMATCH'}`;
      if (!header.dataCrcOk)
        budget.warn('corrupt', where, 'uImage data CRC does not match its header');
      const name = header.name.replace(/[^A-Za-z0-9._-]/g, '_') || 'uimage-payload';
      if (header.compression === 0) return { size, detail, expansion: inner(payload, name) };
      if (header.compression === 1 && containerAt(payload, 0) === 'gzip') {
        const result = gunzipBounded(payload, 0, budget, `${where}>payload`);
        return result.ok ? { size, detail, expansion: inner(result.data, name) } : { size, detail };
      }
      budget.warn(
        'unsupported',
        where,
        `uImage compression ${header.compression} is not supported; payload kept as a blob`,
      );
      return { size, detail, expansion: inner(payload, `${name}.compressed`) };
    }
  }
}
