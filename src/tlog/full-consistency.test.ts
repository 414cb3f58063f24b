import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { leafHash } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import { isPowerOfTwo, rootsFromConsistencyPath, verifyConsistency } from './proof.js';
import { consistencyProof, fullConsistencyPath } from './tree.js';

function tree(leaves: number, prefix = 'leaf', forkAt = leaves): MemoryTree {
  const t = new MemoryTree();
  for (let i = 0; i < leaves; i += 1)
    t.append(leafHash(Buffer.from(`${i < forkAt ? 'leaf' : prefix} ${i}`)));
  return t;
}

/** Sizes 0 < m < n ≤ 600, crossing tile and power-of-two boundaries. */
const sizes = fc
  .tuple(fc.integer({ min: 1, max: 599 }), fc.integer({ min: 1, max: 600 }))
  .filter(([m, n]) => m < n);

describe('the full consistency path (SUBPROOF(m, D[n], false))', () => {
  test.prop([sizes])('gives back both roots of an honest tree', ([m, n]) => {
    const t = tree(n);
    const roots = rootsFromConsistencyPath(m, n, fullConsistencyPath(m, n, t.read));
    expect(Buffer.from(roots.oldRoot).equals(t.root(m))).toBe(true);
    expect(Buffer.from(roots.newRoot).equals(t.root(n))).toBe(true);
  });

  test.prop([sizes])(
    'is the ordinary proof with the old root in front when m is a power of two',
    ([m, n]) => {
      const t = tree(n);
      const full = fullConsistencyPath(m, n, t.read);
      const ordinary = consistencyProof(m, n, t.read);
      expect(full).toEqual(isPowerOfTwo(m) ? [t.root(m), ...ordinary] : ordinary);
      verifyConsistency(m, n, ordinary, t.root(m), t.root(n));
    },
  );

  test.prop([sizes, fc.nat()])(
    'shows, from the larger tree alone, that it does not extend a smaller tree of another history',
    ([m, n], fork) => {
      const forkAt = fork % m;
      const honest = tree(m);
      const forked = tree(n, 'forged', forkAt);
      const roots = rootsFromConsistencyPath(m, n, fullConsistencyPath(m, n, forked.read));
      expect(Buffer.from(roots.newRoot).equals(forked.root(n))).toBe(true);
      expect(Buffer.from(roots.oldRoot).equals(honest.root(m))).toBe(false);
    },
  );

  describe('when the path has one hash too many or too few', () => {
    it('rejects it with TLOG_PROOF_INVALID', () => {
      const t = tree(300);
      const path = fullConsistencyPath(100, 300, t.read);
      expect(() => rootsFromConsistencyPath(100, 300, path.slice(1))).toThrow(
        expect.objectContaining({ code: 'TLOG_PROOF_INVALID' }),
      );
      expect(() => rootsFromConsistencyPath(100, 300, [...path, t.root(1)])).toThrow(
        /too many hashes/,
      );
    });
  });

  describe('when the sizes are not 0 < m < n', () => {
    it('refuses to compute or check a path', () => {
      const t = tree(10);
      expect(() => fullConsistencyPath(0, 10, t.read)).toThrow(
        expect.objectContaining({ code: 'TLOG_INDEX_OUT_OF_RANGE' }),
      );
      expect(() => rootsFromConsistencyPath(10, 10, [t.root(10)])).toThrow(
        expect.objectContaining({ code: 'TLOG_PROOF_INVALID' }),
      );
    });
  });
});
