import { describe, expect, it } from 'vitest';
import vectors from '../../test/fixtures/tlog-vectors.json' with { type: 'json' };
import { leafHash } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import { parseVerifierKey } from './note-key.js';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from './proof-bundle.js';
import { inclusionProof } from './tree.js';

const spec = vectors.tlog_proof;
const here = vectors.computed_here;
const logKey = parseVerifierKey(here.log_key.vkey);
const witnessKey = parseVerifierKey(here.witness_key.vkey);
const b64 = (text: string): Buffer => Buffer.from(text, 'base64');

describe('c2sp.org/tlog-proof@v1', () => {
  describe('published formats marshal vectors', () => {
    for (const v of spec.marshal_vectors) {
      const bundle = {
        index: v.index,
        proof: v.hashes_b64.map(b64),
        checkpoint: v.checkpoint,
        ...(v.extra_b64 === undefined ? {} : { extra: b64(v.extra_b64) }),
      };
      it(`formats "${v.desc}" byte for byte`, () => {
        expect(formatTlogProof(bundle)).toBe(v.text);
      });
      it(`parses "${v.desc}" back`, () => {
        expect(parseTlogProof(v.text)).toEqual(bundle);
      });
    }
  });

  describe('when formatting an impossible proof', () => {
    const hash = Buffer.alloc(32);
    it('refuses a negative index, a short hash and too many hashes', () => {
      const invalid = expect.objectContaining({ code: 'TLOG_PROOF_BUNDLE_INVALID' });
      expect(() => formatTlogProof({ index: -1, proof: [], checkpoint: 'c\n' })).toThrow(invalid);
      expect(() =>
        formatTlogProof({ index: 0, proof: [hash.subarray(1)], checkpoint: 'c\n' }),
      ).toThrow(invalid);
      expect(() =>
        formatTlogProof({ index: 0, proof: Array(65).fill(hash), checkpoint: 'c\n' }),
      ).toThrow(invalid);
    });
  });

  it('rejects an index above 2^53-1 and a missing checkpoint', () => {
    expect(() => parseTlogProof('c2sp.org/tlog-proof@v1\nindex 9007199254740992\n\nc\n')).toThrow(
      /2\^53-1/,
    );
    expect(() => parseTlogProof('c2sp.org/tlog-proof@v1\nindex 1\n\n')).toThrow(
      /checkpoint is missing/,
    );
  });

  describe('published invalid proofs', () => {
    for (const v of spec.invalid) {
      it(`rejects "${v.desc}" with TLOG_PROOF_BUNDLE_INVALID`, () => {
        expect(() => parseTlogProof(v.text)).toThrow(
          expect.objectContaining({ code: 'TLOG_PROOF_BUNDLE_INVALID' }),
        );
      });
    }
  });

  describe('computed proofs for the reference tree', () => {
    const tree = new MemoryTree();
    for (const leaf of vectors.reference_tree.leaves_hex)
      tree.append(leafHash(Buffer.from(leaf, 'hex')));

    it('reproduces the proof for entry 5 byte for byte', () => {
      const text = formatTlogProof({
        index: 5,
        proof: inclusionProof(5, 8, tree.read),
        checkpoint: here.checkpoints[1]!.note,
      });
      expect(text).toBe(here.tlog_proofs[0]!.proof);
    });

    for (const v of here.tlog_proofs) {
      it(`${v.expect === 'valid' ? 'accepts' : 'rejects'} "${v.desc}"`, () => {
        const verify = () =>
          verifyTlogProof(v.proof, { entry: b64(v.leaf_b64) }, parseVerifierKey(v.vkey), {
            witnesses: [witnessKey],
            quorum: 1,
          });
        if (v.expect === 'valid') expect(verify().index).toBe(5);
        else expect(verify).toThrow(expect.objectContaining({ code: 'TLOG_PROOF_INVALID' }));
      });
    }

    it('accepts a leaf hash instead of the entry', () => {
      const v = here.tlog_proofs[0]!;
      const result = verifyTlogProof(v.proof, { leafHash: tree.read(0, 5) }, logKey, {
        witnesses: [witnessKey],
      });
      expect(result.checkpoint.size).toBe(8);
    });

    it('rejects the proof when the witness quorum is not met', () => {
      const withoutWitness = here.tlog_proofs[0]!.proof.replace(/— witness[^\n]*\n/, '');
      expect(() =>
        verifyTlogProof(withoutWitness, { entry: b64('QEFCQw==') }, logKey, {
          witnesses: [witnessKey],
          quorum: 1,
        }),
      ).toThrow(expect.objectContaining({ code: 'TLOG_QUORUM_NOT_MET' }));
    });

    it('detects any changed byte of the proof text', () => {
      const text = here.tlog_proofs[0]!.proof;
      for (let i = 0; i < text.length; i += 1) {
        const tampered = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
        expect(() =>
          verifyTlogProof(tampered, { entry: b64('QEFCQw==') }, logKey, {
            witnesses: [witnessKey],
            quorum: 1,
          }),
        ).toThrow();
      }
    });
  });
});
