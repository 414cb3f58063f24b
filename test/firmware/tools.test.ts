import { rmSync } from 'node:fs';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, UnpackBudget } from '../../src/firmware/limits.js';
import { unpackBytes } from '../../src/firmware/unpack/unpack.js';
import { requireTools } from '../helpers/require-tools.js';
import { pack, writeTree } from './images.js';

let root: string;
let xzImage: Buffer;
let squashImage: Buffer;
const path = process.env.PATH;

const havePackers = requireTools('xz', 'mksquashfs');

beforeAll(() => {
  if (!havePackers) return;
  root = writeTree({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n' });
  xzImage = pack(root, 'tar.xz');
  squashImage = pack(root, 'squashfs');
});
afterAll(() => {
  if (!havePackers) return;
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  process.env.PATH = path;
});

describe('when no decompression tool is on PATH', () => {
  it('still decodes an xz stream (through the npm library, not the xz binary)', () => {
    process.env.PATH = '/nonexistent';
    const budget = new UnpackBudget(DEFAULT_LIMITS);
    const result = unpackBytes(xzImage, budget, 'image');
    expect(budget.warnings).toEqual([]);
    expect(result.format).toBe('xz/tar');
    expect(result.tree.read('/etc/passwd')?.toString()).toBe('root:x:0:0::/root:/bin/sh\n');
  });

  it('still reads a squashfs image (the native reader, not unsquashfs)', () => {
    process.env.PATH = '/nonexistent';
    const budget = new UnpackBudget(DEFAULT_LIMITS);
    const result = unpackBytes(squashImage, budget, 'image');
    expect(budget.warnings).toEqual([]);
    expect(result.format).toBe('squashfs');
    expect(result.tree.read('/etc/passwd')?.toString()).toBe('root:x:0:0::/root:/bin/sh\n');
  });
});
