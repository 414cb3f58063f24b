import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import { EMPTY_ROOT, leafHash, nodeHash } from './hash.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

describe('RFC 6962 hashing', () => {
  describe('published transparency-dev/merkle vectors', () => {
    for (const vector of vectors.rfc6962_hashes.vectors) {
      it(`computes the ${vector.desc}`, () => {
        const got =
          vector.kind === 'empty_root'
            ? EMPTY_ROOT
            : vector.kind === 'leaf'
              ? leafHash(hex(vector.input_hex ?? ''))
              : nodeHash(hex(vector.left_hex ?? ''), hex(vector.right_hex ?? ''));
        expect(got.toString('hex')).toBe(vector.expected_hex);
      });
    }
  });

  it('hashes the reference tree leaves to the published level-0 hashes', () => {
    const leaves = vectors.reference_tree.leaves_hex.map((h) => leafHash(hex(h)).toString('hex'));
    expect(leaves).toEqual(vectors.reference_tree.node_hashes_hex_by_level[0]);
  });

  it('hashes a large entry (streamed path) like a small one would be hashed', () => {
    const entry = Buffer.alloc(70_000, 7);
    const expected = createHash('sha256')
      .update(Buffer.from([0]))
      .update(entry)
      .digest();
    expect(leafHash(entry).equals(expected)).toBe(true);
  });

  it('returns a fresh buffer per call, so callers may keep the results', () => {
    const a = leafHash(Buffer.from('a'));
    const b = leafHash(Buffer.from('b'));
    expect(a.equals(b)).toBe(false);
    const n1 = nodeHash(a, b);
    const n2 = nodeHash(b, a);
    expect(n1.equals(n2)).toBe(false);
    expect(n1.equals(nodeHash(a, b))).toBe(true);
  });
});
