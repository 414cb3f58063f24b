import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { leafHash } from './hash.js';
import { LeafIndex, MAX_INDEXED_LEAVES } from './leaf-index.js';

/** Finds `hash` the way the log does: a candidate counts only if its full hash is `hash`. */
function lookup(index: LeafIndex, hashes: readonly Buffer[], hash: Buffer): number | undefined {
  return index.find(hash, (candidate) => hashes[candidate]?.equals(hash) === true);
}

describe('the in-memory leaf index', () => {
  test.prop([fc.uniqueArray(fc.string(), { maxLength: 3000 }), fc.array(fc.string())], {
    numRuns: 30,
  })('finds every added leaf at its index and nothing that was not added', (added, probes) => {
    const hashes = added.map((entry) => leafHash(Buffer.from(entry)));
    const index = new LeafIndex();
    hashes.forEach((hash, i) => {
      index.add(hash, i);
    });
    expect(index.size).toBe(hashes.length);
    hashes.forEach((hash, i) => {
      expect(lookup(index, hashes, hash)).toBe(i);
    });
    for (const probe of probes) {
      const expected = added.indexOf(probe);
      expect(lookup(index, hashes, leafHash(Buffer.from(probe)))).toBe(
        expected === -1 ? undefined : expected,
      );
    }
  });

  describe('when two leaf hashes share their first 8 bytes', () => {
    it('offers both as candidates and the full comparison tells them apart', () => {
      const first = Buffer.alloc(32, 0xaa);
      const second = Buffer.from(first);
      second[31] = 0xbb;
      const hashes = [first, second];
      const index = new LeafIndex();
      index.add(first, 0);
      index.add(second, 1);
      const candidates: number[] = [];
      index.find(first, (candidate) => {
        candidates.push(candidate);
        return false;
      });
      expect(candidates.sort()).toEqual([0, 1]);
      expect(lookup(index, hashes, first)).toBe(0);
      expect(lookup(index, hashes, second)).toBe(1);
    });
  });

  it('reads a leaf hash at an offset inside a tile row', () => {
    const hashes = [leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))];
    const row = Buffer.concat(hashes);
    const index = new LeafIndex(2);
    index.add(row, 7, 32);
    expect(lookup(index, [], hashes[1]!)).toBeUndefined();
    expect(index.find(hashes[1]!, () => true)).toBe(7);
    expect(index.find(hashes[0]!, () => true)).toBeUndefined();
  });

  it('refuses an index it cannot store rather than wrapping it', () => {
    const index = new LeafIndex();
    expect(() => {
      index.add(Buffer.alloc(32), MAX_INDEXED_LEAVES);
    }).toThrow(RangeError);
    expect(() => {
      index.add(Buffer.alloc(32), -1);
    }).toThrow(RangeError);
  });
});
