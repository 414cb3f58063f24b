import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import { leafHash } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import {
  appendLeaf,
  visitAppendedLeaf,
  appendLeaves,
  consistencyProof,
  inclusionProof,
  rootFromLeafHashes,
  treeRoot,
  treeView,
  type StoredHash,
} from './tree.js';

const ref = vectors.reference_tree;
const refLeaves = ref.leaves_hex.map((h) => leafHash(Buffer.from(h, 'hex')));
const hexes = (list: Buffer[]): string[] => list.map((b) => b.toString('hex'));

function treeOf(leafHashes: Buffer[]): MemoryTree {
  const tree = new MemoryTree();
  for (const hash of leafHashes) tree.append(hash);
  return tree;
}

function leavesFor(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
}

describe('the Merkle tree built from stored hashes', () => {
  const tree = treeOf(refLeaves);

  it('has the published root of the reference tree at every size 0..8', () => {
    ref.roots_hex_by_size.forEach((root, size) => {
      expect(treeRoot(size, tree.read).toString('hex')).toBe(root);
      expect(rootFromLeafHashes(refLeaves.slice(0, size)).toString('hex')).toBe(root);
    });
  });

  it('stores exactly the published node hashes of every complete subtree', () => {
    ref.node_hashes_hex_by_level.forEach((level, l) => {
      level.forEach((hash, i) => {
        expect(tree.read(l, i).toString('hex')).toBe(hash);
      });
    });
  });

  describe('published inclusion proofs of the reference tree', () => {
    for (const v of ref.inclusion_proofs) {
      it(`produces the proof for leaf ${v.index} of ${v.size}`, () => {
        expect(hexes(inclusionProof(v.index, v.size, tree.read))).toEqual(v.proof_hex);
      });
    }
  });

  describe('published consistency proofs of the reference tree', () => {
    for (const v of ref.consistency_proofs) {
      it(`produces the proof from ${v.size1} to ${v.size2}`, () => {
        expect(hexes(consistencyProof(v.size1, v.size2, tree.read))).toEqual(v.proof_hex);
      });
    }
  });

  it('reproduces the computed consistency proof from 5 to 8', () => {
    expect(consistencyProof(5, 8, tree.read).map((b) => b.toString('base64'))).toEqual(
      vectors.computed_here.consistency_5_to_8.proof,
    );
  });

  describe('when appending a leaf', () => {
    it('yields the leaf and the root of every subtree it completes', () => {
      const t = treeOf(refLeaves.slice(0, 7));
      const added = appendLeaf(7, refLeaves[7]!, t.read);
      expect(added.map((s) => [s.level, s.index])).toEqual([
        [0, 7],
        [1, 3],
        [2, 1],
        [3, 0],
      ]);
      expect(added[3]!.hash.toString('hex')).toBe(ref.roots_hex_by_size[8]);
    });

    it('yields only the leaf when it closes no subtree', () => {
      expect(appendLeaf(4, refLeaves[4]!, tree.read)).toEqual([
        { level: 0, index: 4, hash: refLeaves[4] },
      ]);
    });
  });

  test.prop([fc.integer({ min: 0, max: 600 })], { numRuns: 40 })(
    'visiting an append yields exactly the stored hashes appendLeaf returns, in order',
    (size) => {
      const leaves = leavesFor(size + 1);
      const t = treeOf(leaves.slice(0, size));
      const visited: StoredHash[] = [];
      visitAppendedLeaf(size, leaves[size]!, t.read, (level, index, hash) => {
        visited.push({ level, index, hash });
      });
      expect(visited).toEqual(appendLeaf(size, leaves[size]!, t.read));
    },
  );

  test.prop([fc.integer({ min: 1, max: 600 })], { numRuns: 40 })(
    'a right edge that the visitor overwrites as it goes grows the same tree',
    (size) => {
      const leaves = leavesFor(size);
      const edge: Buffer[] = [];
      const read = (level: number) => edge[level]!;
      leaves.forEach((leaf, i) => {
        visitAppendedLeaf(i, leaf, read, (level, _index, hash) => {
          edge[level] = hash;
        });
      });
      expect(treeRoot(size, read).equals(rootFromLeafHashes(leaves))).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 })], { numRuns: 40 })(
    'a batch append stores the same hashes as appending one by one',
    (before, count) => {
      const leaves = leavesFor(before + count);
      const one = treeOf(leaves);
      const batch = treeOf(leaves.slice(0, before));
      const added: StoredHash[] = appendLeaves(before, leaves.slice(before), batch.read);
      for (const s of added) expect(s.hash.equals(one.read(s.level, s.index))).toBe(true);
      expect(added.filter((s) => s.level === 0)).toHaveLength(count);
    },
  );

  test.prop([fc.integer({ min: 0, max: 600 })], { numRuns: 60 })(
    'the root at every size matches the RFC 9162 reference recursion',
    (size) => {
      const leaves = leavesFor(size);
      expect(treeRoot(size, treeOf(leaves).read).equals(rootFromLeafHashes(leaves))).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 1, max: 700 })], { numRuns: 30 })(
    'a tree view gives the same root and proofs as the free functions, proof after proof',
    (size) => {
      const tree = treeOf(leavesFor(size));
      const view = treeView(size, tree.read);
      expect(view.root.equals(treeRoot(size, tree.read))).toBe(true);
      for (let index = 0; index < size; index += Math.max(1, Math.floor(size / 40))) {
        expect(view.inclusionProof(index)).toEqual(inclusionProof(index, size, tree.read));
      }
      for (let old = 0; old <= size; old += Math.max(1, Math.floor(size / 40))) {
        expect(view.consistencyProof(old)).toEqual(consistencyProof(old, size, tree.read));
      }
    },
  );

  it('a tree view hands out copies, so a caller changing a proof cannot change the next one', () => {
    const tree = treeOf(leavesFor(13));
    const view = treeView(13, tree.read);
    const first = view.inclusionProof(0);
    first.at(-1)!.fill(0);
    expect(view.inclusionProof(0)).toEqual(inclusionProof(0, 13, tree.read));
  });

  describe('when asked for something outside the tree', () => {
    it('rejects an inclusion proof for index >= size with TLOG_INDEX_OUT_OF_RANGE', () => {
      expect(() => inclusionProof(8, 8, tree.read)).toThrow(
        expect.objectContaining({ code: 'TLOG_INDEX_OUT_OF_RANGE' }),
      );
      expect(() => inclusionProof(0, 0, tree.read)).toThrow(/not in a tree of size 0/);
    });

    it('rejects a consistency proof to a smaller tree', () => {
      expect(() => consistencyProof(5, 4, tree.read)).toThrow(
        expect.objectContaining({ code: 'TLOG_INDEX_OUT_OF_RANGE' }),
      );
    });

    it('rejects negative, fractional and unsafe sizes', () => {
      for (const bad of [-1, 1.5, 2 ** 53, Number.NaN]) {
        expect(() => treeRoot(bad, tree.read)).toThrow(/integer from 0 to 2\^53-1/);
      }
    });

    it('gives empty consistency proofs from size 0 and between equal sizes', () => {
      expect(consistencyProof(0, 8, tree.read)).toEqual([]);
      expect(consistencyProof(8, 8, tree.read)).toEqual([]);
    });
  });
});
