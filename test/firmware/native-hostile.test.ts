/**
 * Hostile file-system images: real squashfs, JFFS2 and CramFS images with bytes changed at
 * random must never crash or hang the unpacker, and whatever it cannot read must be reported,
 * never silently dropped as if the image held nothing more.
 */
import { fc } from '@fast-check/vitest';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, UnpackBudget } from '../../src/firmware/limits.js';
import { unpackBytes } from '../../src/firmware/unpack/unpack.js';
import { requireTools } from '../helpers/require-tools.js';
import { pack, plantedTree, writeTree, type PackFormat } from './images.js';

const FORMATS: readonly PackFormat[] = ['squashfs-gzip', 'squashfs-lz4', 'jffs2', 'cramfs'];
const have = requireTools('mksquashfs', 'mkfs.jffs2', 'mkfs.cramfs');
let root: string;
const images = new Map<PackFormat, Buffer>();

beforeAll(() => {
  if (!have) return;
  root = writeTree(plantedTree());
  for (const format of FORMATS) images.set(format, pack(root, format));
});
afterAll(() => {
  if (have) rmSync(root, { recursive: true, force: true });
});

describe.each(FORMATS)('a %s image with bytes changed at random', (format) => {
  it('unpacks and reads every file without throwing, within the limits', () => {
    const image = images.get(format) as Buffer;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: image.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (changes) => {
          const copy = Buffer.from(image);
          for (const [at, value] of changes) copy[at] = value;
          const budget = new UnpackBudget({ ...DEFAULT_LIMITS, maxTotalBytes: 64 * 1024 * 1024 });
          const { tree } = unpackBytes(copy, budget, 'image');
          for (const entry of tree.entries()) if (entry.type === 'file') tree.read(entry.path);
          expect(budget.totalBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
        },
      ),
      { numRuns: 60, seed: 14 },
    );
  });
});
