/**
 * The squashfs reader with its blocks decoded ahead on worker threads must read every file
 * exactly as it does alone, in whatever order the files are asked for: images packed by the real
 * mksquashfs with each compressor, in small blocks so that files span many of them, with
 * fragments, a duplicate file, an empty file and a sparse one.
 */
import { createCipheriv } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockDecodePool } from '../../src/firmware/codecs/decode-pool.js';
import { DEFAULT_LIMITS, UnpackBudget } from '../../src/firmware/limits.js';
import { decodeSquashfs } from '../../src/firmware/unpack/squashfs/decode.js';
import type { MemoryTree } from '../../src/firmware/tree.js';
import { requireTools } from '../helpers/require-tools.js';
import { SQUASHFS_COMPRESSORS, squashfs, writeTree, type TreeSpec } from './images.js';

/** Text-like bytes that compress, so that blocks are stored compressed. */
function compressible(length: number, seed: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(seed, 0);
  const random = createCipheriv('aes-128-ctr', Buffer.alloc(16, 5), iv).update(
    Buffer.alloc(length),
  );
  for (let i = 0; i < length; i += 1) random[i] = 0x61 + ((random[i] as number) % 8);
  return random;
}

function spec(): TreeSpec {
  const tree: TreeSpec = {
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    '/empty': Buffer.alloc(0),
    // A block of zeros in the middle: mksquashfs stores it as a sparse block (size 0).
    '/sparse': Buffer.concat([compressible(5000, 1), Buffer.alloc(8192), compressible(3000, 2)]),
    '/twin/a': compressible(20_000, 3),
    '/twin/b': compressible(20_000, 3),
  };
  for (let i = 0; i < 40; i += 1)
    tree[`/d${i % 5}/f${i}`] = compressible(
      i % 4 === 0 ? 100 + i : 4096 * (i % 7) + 37 * i,
      i + 10,
    );
  return tree;
}

const haveTools = requireTools('mksquashfs');
let root = '';
let pool: BlockDecodePool | undefined;
beforeAll(async () => {
  if (!haveTools) return;
  root = writeTree(spec());
  const started = new BlockDecodePool(2);
  while (started.ready < 2) await new Promise((resolve) => setTimeout(resolve, 20));
  pool = started;
});
afterAll(async () => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
  await pool?.close();
});

function filesOf(tree: MemoryTree): string[] {
  return tree
    .entries()
    .filter((e) => e.type === 'file')
    .map((e) => e.path);
}

describe.each(SQUASHFS_COMPRESSORS)('a %s image read with blocks decoded ahead', (compressor) => {
  const orders: [string, (paths: string[]) => string[]][] = [
    ['in listing order', (paths) => paths],
    ['in reverse', (paths) => [...paths].reverse()],
    ['with /etc/passwd first, then in listing order', (paths) => ['/etc/passwd', ...paths]],
    ['skipping every other file', (paths) => paths.filter((_, i) => i % 2 === 0)],
  ];
  it.each(orders)('gives every file the bytes the reader alone gives, %s', (_, order) => {
    const image = squashfs(root, compressor, ['-b', '4096']);
    const alone = decodeSquashfs(image, new UnpackBudget(DEFAULT_LIMITS), 'image', {
      pool: undefined,
    }) as MemoryTree;
    if (pool === undefined) throw new Error('the pool did not start');
    const before = pool.outstanding;
    const answered = pool.answered;
    const budget = new UnpackBudget(DEFAULT_LIMITS);
    const ahead = decodeSquashfs(image, budget, 'image', { pool }) as MemoryTree;
    const paths = filesOf(alone);
    expect(filesOf(ahead)).toEqual(paths);
    expect(paths.length).toBe(45);
    for (const path of order(paths)) {
      const expected = alone.read(path);
      expect(expected).toBeDefined();
      expect(ahead.read(path)?.equals(expected as Buffer), path).toBe(true);
    }
    expect(budget.warnings).toEqual([]);
    expect(pool.answered).toBeGreaterThan(answered);
    // What a read left planned but never asked for stays within the window (16 per thread).
    expect(pool.outstanding - before).toBeLessThanOrEqual(2 * 16);
  });
});
