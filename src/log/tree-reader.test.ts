import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { HASH_SIZE } from '../tlog/hash.js';
import { TILE_HEIGHT, TILE_WIDTH } from '../tlog/tiles.js';
import { appendLeaves, consistencyProof, inclusionProof, type HashReader } from '../tlog/tree.js';
import { TreeReader } from './tree-reader.js';

// Past one full tile at tile level 1 (2^16 leaves), so proofs cross full and partial tiles of
// two tile levels.
const SIZE = TILE_WIDTH * TILE_WIDTH + 3 * TILE_WIDTH + 17;

const leaves = Array.from({ length: SIZE }, (_, i) =>
  createHash('sha256')
    .update(`leaf ${String(i)}`)
    .digest(),
);
const stored = new Map<string, Buffer>();
for (const { level, index, hash } of appendLeaves(0, leaves, () => {
  throw new Error('an empty tree has no hashes');
})) {
  stored.set(`${String(level)}/${String(index)}`, hash);
}
/** The tree's hashes as they are, read directly. */
const direct: HashReader = (level, index) => {
  const hash = stored.get(`${String(level)}/${String(index)}`);
  if (hash === undefined) throw new Error(`no hash ${String(level)}/${String(index)}`);
  return hash;
};

/** The stored row of tile (level, index) of the tree of SIZE leaves, as a store holds it. */
function tileRow(level: number, index: number): Promise<Buffer | undefined> {
  const hashes: Buffer[] = [];
  for (let i = 0; i < TILE_WIDTH; i += 1) {
    const hash = stored.get(`${String(level * TILE_HEIGHT)}/${String(index * TILE_WIDTH + i)}`);
    if (hash === undefined) break;
    hashes.push(hash);
  }
  return Promise.resolve(hashes.length === 0 ? undefined : Buffer.concat(hashes));
}

const index = fc.integer({ min: 0, max: SIZE - 1 });

describe('a tree reader over stored tiles', () => {
  describe('whatever its cache holds', () => {
    test.prop(
      [
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(index, index), { minLength: 1, maxLength: 8 }),
      ],
      {
        numRuns: 40,
      },
    )('computes the proofs a direct reader computes', async (cached, pairs) => {
      const reader = new TreeReader(tileRow, { maxCachedTiles: cached });
      for (const [a, b] of pairs) {
        const [leaf, size] = a < b ? [a, b + 1] : [b, a + 1];
        expect(await reader.compute(size, (read) => inclusionProof(leaf, size, read))).toEqual(
          inclusionProof(leaf, size, direct),
        );
        expect(
          await reader.compute(size, (read) => consistencyProof(leaf + 1, size, read)),
        ).toEqual(consistencyProof(leaf + 1, size, direct));
      }
      expect(reader.cachedTiles).toBeLessThanOrEqual(cached);
    });
  });

  describe('when proofs touch more full tiles than it may cache', () => {
    test.prop([fc.array(index, { minLength: 20, maxLength: 40 })], { numRuns: 5 })(
      'keeps at most its bound',
      async (indexes) => {
        const reader = new TreeReader(tileRow, { maxCachedTiles: 4 });
        for (const leaf of indexes)
          await reader.compute(SIZE, (read) => inclusionProof(leaf, SIZE, read));
        expect(reader.cachedTiles).toBeLessThanOrEqual(4);
      },
    );
  });

  describe('when a proof is computed again', () => {
    test.prop([index])('fetches only the partial tiles again', async (leaf) => {
      const fetched: { key: string; full: boolean }[] = [];
      const reader = new TreeReader(async (level, i) => {
        const row = await tileRow(level, i);
        fetched.push({
          key: `${String(level)}/${String(i)}`,
          full: row?.length === TILE_WIDTH * HASH_SIZE,
        });
        return row;
      });
      await reader.compute(SIZE, (read) => inclusionProof(leaf, SIZE, read));
      const first = fetched.splice(0);
      await reader.compute(SIZE, (read) => inclusionProof(leaf, SIZE, read));
      expect(fetched).toEqual(first.filter((tile) => !tile.full));
    });
  });
});
