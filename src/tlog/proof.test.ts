import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import { EMPTY_ROOT, leafHash } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import { verifyConsistency, verifyInclusion } from './proof.js';
import { consistencyProof, inclusionProof, treeRoot } from './tree.js';

const b64 = (text: string): Buffer => Buffer.from(text, 'base64');
const invalid = expect.objectContaining({ code: 'TLOG_PROOF_INVALID' });

function verdict(run: () => void): boolean {
  try {
    run();
    return true;
  } catch (error) {
    expect(error).toMatchObject({ code: 'TLOG_PROOF_INVALID' });
    return false;
  }
}

function treeOfSize(n: number): MemoryTree {
  const tree = new MemoryTree();
  for (let i = 0; i < n; i += 1) tree.append(leafHash(Buffer.from(`leaf ${i}`)));
  return tree;
}

/**
 * The only published vector on which we deliberately differ from transparency-dev/merkle: a
 * consistency "proof" from the empty tree (root SHA-256("")) with an empty proof. tlog-witness
 * requires `old 0` with an empty proof to be accepted; transparency-dev/merkle calls it useless.
 */
const WITNESS_SEMANTICS = new Set([
  'consistency/additional/size1-is-zero-and-size2-is-not-zero.json',
]);

describe('verifying inclusion proofs', () => {
  describe('published transparency-dev/merkle inclusion vectors', () => {
    for (const v of vectors.merkle_inclusion.vectors) {
      it(`${v.wantErr ? 'rejects' : 'accepts'} ${v.file} (${v.desc})`, () => {
        const ok = verdict(() => {
          verifyInclusion(
            b64(v.leafHash),
            v.leafIdx,
            v.treeSize,
            (v.proof ?? []).map(b64),
            b64(v.root),
          );
        });
        expect(ok).toBe(!v.wantErr);
      });
    }
  });

  describe('published sigsum inclusion vectors', () => {
    for (const v of vectors.sigsum_inclusion.vectors) {
      it(`accepts leaf ${v.leaf_index} of ${v.tree_size}`, () => {
        verifyInclusion(
          b64(v.leaf_hash),
          v.leaf_index,
          v.tree_size,
          v.inclusion_path.map(b64),
          b64(v.root_hash),
        );
      });
    }
  });

  describe('when the index is not below the tree size', () => {
    it('rejects it with TLOG_PROOF_INVALID, including in the empty tree', () => {
      const leaf = leafHash(Buffer.from('x'));
      expect(() => {
        verifyInclusion(leaf, 1, 1, [], leaf);
      }).toThrow(/not below tree size 1/);
      expect(() => {
        verifyInclusion(leaf, 0, 0, [], EMPTY_ROOT);
      }).toThrow(invalid);
    });
  });

  describe('when the proof is one hash short or one hash long', () => {
    const tree = treeOfSize(13);
    const proof = inclusionProof(6, 13, tree.read);
    const leaf = tree.read(0, 6);
    it('rejects the short proof saying it is too short', () => {
      expect(() => {
        verifyInclusion(leaf, 6, 13, proof.slice(0, -1), tree.root());
      }).toThrow(/too short/);
    });
    it('rejects the long proof saying it has too many hashes', () => {
      expect(() => {
        verifyInclusion(leaf, 6, 13, [...proof, leaf], tree.root());
      }).toThrow(/too many hashes/);
    });
  });

  it('verifies every leaf of every tree up to 260 leaves (across the first tile boundary)', () => {
    const tree = treeOfSize(260);
    for (let size = 1; size <= 260; size += 1) {
      const root = tree.root(size);
      for (let index = 0; index < size; index += 1) {
        verifyInclusion(
          tree.read(0, index),
          index,
          size,
          inclusionProof(index, size, tree.read),
          root,
        );
      }
    }
  });

  test.prop(
    [
      fc
        .integer({ min: 1, max: 400 })
        .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.nat(), fc.nat(255))),
    ],
    { numRuns: 200 },
  )('detects a flipped bit anywhere in a proof or a wrong leaf', ([size, index, at, bit]) => {
    const tree = treeOfSize(size);
    const proof = inclusionProof(index, size, tree.read);
    const root = tree.root(size);
    if (proof.length > 0) {
      const tampered = proof.map((p) => Buffer.from(p));
      const hash = tampered[at % tampered.length]!;
      hash[bit % 32]! ^= 1 << (bit % 8);
      expect(() => {
        verifyInclusion(tree.read(0, index), index, size, tampered, root);
      }).toThrow(invalid);
    }
    const other = leafHash(Buffer.from('not in the log'));
    expect(() => {
      verifyInclusion(other, index, size, proof, root);
    }).toThrow(invalid);
  });
});

describe('verifying consistency proofs', () => {
  describe('published transparency-dev/merkle consistency vectors', () => {
    it('knows every vector it deviates from', () => {
      const files = new Set(vectors.merkle_consistency.vectors.map((v) => v.file));
      for (const file of WITNESS_SEMANTICS) expect(files.has(file)).toBe(true);
    });

    for (const v of vectors.merkle_consistency.vectors) {
      const accept = WITNESS_SEMANTICS.has(v.file) || !v.wantErr;
      const outcome = WITNESS_SEMANTICS.has(v.file)
        ? 'accepts (tlog-witness old 0)'
        : accept
          ? 'accepts'
          : 'rejects';
      it(`${outcome} ${v.file} (${v.desc})`, () => {
        const ok = verdict(() => {
          verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
        });
        expect(ok).toBe(accept);
      });
    }
  });

  describe('when the old tree is empty', () => {
    it('accepts an empty proof from the empty root, as tlog-witness old 0 requires', () => {
      verifyConsistency(0, 5, [], EMPTY_ROOT, treeOfSize(5).root());
      verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT);
    });
    it('rejects a non-empty proof', () => {
      expect(() => {
        verifyConsistency(0, 5, [EMPTY_ROOT], EMPTY_ROOT, treeOfSize(5).root());
      }).toThrow(/must be empty/);
    });
    it('rejects an old root that is not SHA-256("")', () => {
      expect(() => {
        verifyConsistency(0, 5, [], treeOfSize(1).root(), treeOfSize(5).root());
      }).toThrow(/SHA-256/);
    });
  });

  describe('when the sizes are equal', () => {
    const root = treeOfSize(8).root();
    it('accepts equal roots with an empty proof', () => {
      verifyConsistency(8, 8, [], root, Buffer.from(root));
    });
    it('rejects different roots', () => {
      expect(() => {
        verifyConsistency(8, 8, [], root, treeOfSize(7).root());
      }).toThrow(/roots differ/);
    });
    it('rejects a non-empty proof', () => {
      expect(() => {
        verifyConsistency(8, 8, [root], root, root);
      }).toThrow(/not empty/);
    });
  });

  it('rejects an old size above the new size', () => {
    expect(() => {
      verifyConsistency(6, 5, [], EMPTY_ROOT, EMPTY_ROOT);
    }).toThrow(/larger than new tree size/);
  });

  it('finds every pair of sizes up to 100 consistent', () => {
    const tree = treeOfSize(100);
    const roots = Array.from({ length: 101 }, (_, n) => tree.root(n));
    for (let size2 = 0; size2 <= 100; size2 += 1) {
      for (let size1 = 0; size1 <= size2; size1 += 1) {
        verifyConsistency(
          size1,
          size2,
          consistencyProof(size1, size2, tree.read),
          roots[size1]!,
          roots[size2]!,
        );
      }
    }
  });

  test.prop(
    [
      fc
        .integer({ min: 2, max: 600 })
        .chain((size2) =>
          fc.tuple(
            fc.integer({ min: 1, max: size2 - 1 }),
            fc.constant(size2),
            fc.nat(),
            fc.nat(255),
          ),
        ),
    ],
    { numRuns: 200 },
  )(
    'detects a flipped bit in a proof, a wrong old root or a wrong new root',
    ([size1, size2, at, bit]) => {
      const tree = treeOfSize(size2);
      const proof = consistencyProof(size1, size2, tree.read);
      const root1 = treeRoot(size1, tree.read);
      const root2 = tree.root();
      verifyConsistency(size1, size2, proof, root1, root2);
      const tampered = proof.map((p) => Buffer.from(p));
      tampered[at % tampered.length]![bit % 32]! ^= 1 << (bit % 8);
      expect(() => {
        verifyConsistency(size1, size2, tampered, root1, root2);
      }).toThrow(invalid);
      const flip = (root: Buffer): Buffer => {
        const copy = Buffer.from(root);
        copy[bit % 32]! ^= 1;
        return copy;
      };
      expect(() => {
        verifyConsistency(size1, size2, proof, flip(root1), root2);
      }).toThrow(invalid);
      expect(() => {
        verifyConsistency(size1, size2, proof, root1, flip(root2));
      }).toThrow(invalid);
      expect(() => {
        verifyConsistency(size1, size2, proof.slice(1), root1, root2);
      }).toThrow(invalid);
    },
  );
});
