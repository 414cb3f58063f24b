/**
 * JFFS2 images (linux include/uapi/linux/jffs2.h, fs/jffs2/): a log of nodes, each a 12-byte
 * header (magic 0x1985, type, length, header CRC) padded to 4 bytes. Directory entries
 * (dirents) name an inode under a parent; inode nodes carry a range of a file's bytes, each
 * compressed on its own. The newest version of each wins. Either byte order is read (mkfs.jffs2
 * writes the host's; big-endian MIPS boards are common). Files decode when read.
 */
import { crc32 } from 'node:zlib';
import { CodecError } from '../codecs/codec-error.js';
import { inflateZlib } from '../codecs/block-decoders.js';
import { decodeLzo1x } from '../codecs/lzo1x.js';
import { decodeRtime } from '../codecs/rtime.js';
import type { UnpackBudget } from '../limits.js';
import { MemoryTree } from '../tree.js';

export const JFFS2_MAGIC_LE = Buffer.from([0x85, 0x19]);
export const JFFS2_MAGIC_BE = Buffer.from([0x19, 0x85]);
const DIRENT = 0xe001;
const INODE = 0xe002;
const KNOWN_TYPES = new Set([DIRENT, INODE, 0x2003, 0x2004, 0x2006, 0xe008, 0xe009]);
const ROOT_INO = 1;
const S_IFMT = 0o170000;
const MAX_DEPTH = 64;
/** A node's data never exceeds a page or two; anything larger is not a real node. */
const MAX_NODE_DATA = 64 * 1024;

/** The kernel's crc32(0, …) (lib/crc32.c, no pre- or post-inversion), from zlib's. */
const jffs2Crc = (bytes: Buffer): number => ~crc32(bytes, 0xffffffff) >>> 0;

interface Reader {
  u16(at: number): number;
  u32(at: number): number;
}
const readerFor = (buf: Buffer, littleEndian: boolean): Reader =>
  littleEndian
    ? { u16: (at) => buf.readUInt16LE(at), u32: (at) => buf.readUInt32LE(at) }
    : { u16: (at) => buf.readUInt16BE(at), u32: (at) => buf.readUInt32BE(at) };

/** The byte order of a valid node header at `offset` (CRC checked), if one is there. */
function nodeAt(buf: Buffer, offset: number): Reader | undefined {
  if (offset + 12 > buf.length) return undefined;
  for (const littleEndian of [true, false]) {
    const r = readerFor(buf, littleEndian);
    if (r.u16(offset) !== 0x1985) continue;
    const type = r.u16(offset + 2);
    const length = r.u32(offset + 4);
    if (!KNOWN_TYPES.has(type) || length < 12 || offset + length > buf.length) continue;
    if (jffs2Crc(buf.subarray(offset, offset + 8)) !== r.u32(offset + 8)) continue;
    return r;
  }
  return undefined;
}

/** True when a JFFS2 node with a valid header CRC starts at `offset`. */
export function isJffs2Node(buf: Buffer, offset: number): boolean {
  return offset % 4 === 0 && nodeAt(buf, offset) !== undefined;
}

interface DataNode {
  readonly version: number;
  readonly mode: number;
  readonly isize: number;
  readonly offset: number;
  readonly dsize: number;
  readonly compression: number;
  readonly data: Buffer;
}

interface Dirent {
  readonly version: number;
  readonly ino: number;
  readonly name: string;
}

/** The nodes of the file system starting at 0, and where it ends. */
function readLog(image: Buffer): {
  size: number;
  dirents: Map<number, Map<string, Dirent>>;
  inodes: Map<number, DataNode[]>;
} {
  const dirents = new Map<number, Map<string, Dirent>>();
  const inodes = new Map<number, DataNode[]>();
  let at = 0;
  let end = 0;
  while (at + 12 <= image.length) {
    const r = nodeAt(image, at);
    if (r === undefined) {
      const word = image.readUInt32LE(at);
      // Erased flash and padding continue the file system; anything else ends it.
      if (word !== 0xffffffff && word !== 0) break;
      at += 4;
      continue;
    }
    const type = r.u16(at + 2);
    const length = r.u32(at + 4);
    if (type === DIRENT && length >= 40) {
      const nsize = image[at + 28] as number;
      if (40 + nsize <= length) {
        const pino = r.u32(at + 12);
        const dirent = {
          version: r.u32(at + 16),
          ino: r.u32(at + 20),
          name: image.toString('utf8', at + 40, at + 40 + nsize),
        };
        let children = dirents.get(pino);
        if (children === undefined) dirents.set(pino, (children = new Map<string, Dirent>()));
        const known = children.get(dirent.name);
        if (known === undefined || known.version < dirent.version)
          children.set(dirent.name, dirent);
      }
    } else if (type === INODE && length >= 68) {
      const csize = r.u32(at + 48);
      if (68 + csize <= length) {
        const ino = r.u32(at + 12);
        const node: DataNode = {
          version: r.u32(at + 16),
          mode: r.u32(at + 20),
          isize: r.u32(at + 28),
          offset: r.u32(at + 44),
          dsize: r.u32(at + 52),
          compression: image[at + 56] as number,
          data: image.subarray(at + 68, at + 68 + csize),
        };
        let list = inodes.get(ino);
        if (list === undefined) inodes.set(ino, (list = [] as DataNode[]));
        list.push(node);
      }
    }
    at += Math.ceil(length / 4) * 4;
    end = at;
  }
  return { size: end, dirents, inodes };
}

/** The length of the JFFS2 file system starting at `offset` (its last node's end). */
export function jffs2Length(buf: Buffer, offset: number): number {
  return readLog(buf.subarray(offset)).size;
}

/** Compressor ids (jffs2.h JFFS2_COMPR_*). */
const COMPRESSORS: Record<number, string> = {
  0: 'none',
  1: 'zero',
  2: 'rtime',
  3: 'rubinmips',
  4: 'copy',
  5: 'dynrubin',
  6: 'zlib',
  7: 'lzo',
  8: 'lzma',
};

/** Thrown for a node compressed with a compressor nospy does not decode. */
class UnsupportedNode extends Error {}

function decodeNode(node: DataNode): Buffer {
  switch (node.compression) {
    case 0:
    case 4:
      return node.data.subarray(0, node.dsize);
    case 1:
      return Buffer.alloc(node.dsize);
    case 2:
      return decodeRtime(node.data, node.dsize);
    case 6:
      return inflateZlib(node.data, node.dsize);
    case 7:
      return decodeLzo1x(node.data, node.dsize);
    default:
      throw new UnsupportedNode(
        `JFFS2 compressor ${COMPRESSORS[node.compression] ?? node.compression} is not supported`,
      );
  }
}

/** A file's bytes: its nodes applied oldest first, each over the range it covers. */
function assemble(nodes: readonly DataNode[], size: number): Buffer {
  const out = Buffer.alloc(size);
  for (const node of [...nodes].sort((a, b) => a.version - b.version)) {
    if (node.dsize === 0 || node.offset >= size) continue;
    if (node.dsize > MAX_NODE_DATA) throw new CodecError(`a node claims ${node.dsize} bytes`);
    const data = decodeNode(node);
    data.copy(out, node.offset, 0, Math.min(data.length, size - node.offset));
  }
  return out;
}

const latest = (nodes: readonly DataNode[]): DataNode | undefined =>
  nodes.reduce<DataNode | undefined>(
    (a, b) => (a === undefined || b.version > a.version ? b : a),
    undefined,
  );

/** Unpacks the JFFS2 file system at the start of `image` into a tree. */
export function decodeJffs2(image: Buffer, budget: UnpackBudget, where: string): MemoryTree {
  const tree = new MemoryTree();
  const { dirents, inodes } = readLog(image);
  const ratioBound = Math.max(1024 * 1024, image.length * budget.limits.maxRatio);
  let listed = 0;
  const entered = new Set<number>();
  const walk = (dirIno: number, dir: string, depth: number): void => {
    if (entered.has(dirIno)) {
      budget.warn('corrupt', `${where}:${dir}`, 'a directory is listed twice (a loop)');
      return;
    }
    entered.add(dirIno);
    if (depth > MAX_DEPTH) {
      budget.warn('limit.depth', `${where}:${dir}`, `directory nesting deeper than ${MAX_DEPTH}`);
      return;
    }
    const children = [...(dirents.get(dirIno)?.values() ?? [])].sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const dirent of children) {
      if (dirent.ino === 0) continue; // an unlink
      const path = dir === '/' ? `/${dirent.name}` : `${dir}/${dirent.name}`;
      const at = `${where}:${path}`;
      if (
        dirent.name === '' ||
        dirent.name === '.' ||
        dirent.name === '..' ||
        /[/\0]/.test(dirent.name)
      ) {
        budget.warn('path_traversal', at, `entry name ${JSON.stringify(dirent.name)} refused`);
        continue;
      }
      const nodes = inodes.get(dirent.ino) ?? [];
      const head = latest(nodes);
      if (head === undefined) {
        budget.warn('corrupt', at, `inode ${dirent.ino} has no node`);
        continue;
      }
      const type = head.mode & S_IFMT;
      if (type === 0o040000) {
        if (budget.takeFile(at, 0)) tree.put({ path, type: 'dir', size: 0 });
        walk(dirent.ino, path, depth + 1);
      } else if (type === 0o120000) {
        if (!budget.takeFile(at, 0)) continue;
        try {
          const target = assemble(nodes, Math.min(head.isize, 4096)).toString('utf8');
          tree.put({ path, type: 'symlink', size: 0, target });
        } catch (error) {
          budget.warn(
            error instanceof UnsupportedNode ? 'unsupported' : 'corrupt',
            at,
            (error as Error).message,
          );
        }
      } else if (type === 0o100000) {
        if (listed + head.isize > ratioBound) {
          budget.warn(
            'limit.ratio',
            at,
            `JFFS2 lists more than ${ratioBound} bytes of files; not read`,
          );
          continue;
        }
        listed += head.isize;
        if (!budget.takeFile(at, head.isize)) continue;
        tree.put({ path, type: 'file', size: head.isize }, () => {
          try {
            return assemble(nodes, head.isize);
          } catch (error) {
            budget.warn(
              error instanceof UnsupportedNode ? 'unsupported' : 'corrupt',
              at,
              (error as Error).message,
            );
            return undefined;
          }
        });
      } else if (budget.takeFile(at, 0)) tree.put({ path, type: 'other', size: 0 });
    }
  };
  walk(ROOT_INO, '/', 0);
  return tree;
}
