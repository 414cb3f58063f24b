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

describe('when the external decompressors are not installed', () => {
  it('says clearly that xz is missing and keeps the stream as a carve', () => {
    process.env.PATH = '/nonexistent';
    const budget = new UnpackBudget(DEFAULT_LIMITS);
    const result = unpackBytes(xzImage, budget, 'image');
    expect(budget.warnings).toEqual([
      {
        reason: 'tool_missing',
        where: 'xz@0x0',
        detail: expect.stringContaining('the xz tool is not installed'),
      },
    ]);
    expect(result.carves).toEqual([{ offset: 0, type: 'xz', size: xzImage.length }]);
  });

  it('says clearly that unsquashfs is missing', () => {
    process.env.PATH = '/nonexistent';
    const budget = new UnpackBudget(DEFAULT_LIMITS);
    const result = unpackBytes(squashImage, budget, 'image');
    expect(budget.warnings.map((w) => [w.reason, w.detail])).toEqual([
      ['tool_missing', expect.stringContaining('unsquashfs is not installed')],
    ]);
    expect(result.carves.map((c) => c.type)).toEqual(['squashfs']);
  });
});
