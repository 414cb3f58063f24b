import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { generateNoteKey, KEY_TYPE_COSIGNATURE_V1 } from '../../tlog/note-key.js';
import { cosign } from '../../tlog/cosignature.js';
import { fullConsistencyPath } from '../../tlog/tree.js';
import {
  formatInconsistency,
  inconsistencyEvidence,
  parseInconsistency,
  verifyInconsistency,
} from './inconsistency-evidence.js';
import { historyTree, observed } from './test-support.js';

const key = generateNoteKey('log.example/evidence');
const witness = generateNoteKey('witness.example/w', KEY_TYPE_COSIGNATURE_V1);
const trust = { logKey: key, witnesses: [witness], quorum: 1 };

/** Evidence that the tree of n does not extend a forked tree of m. */
function forkEvidence(m: number, n: number, forkAt: number) {
  const honest = historyTree(m, forkAt, 'forged');
  const tree = historyTree(n, n, 'entry');
  return inconsistencyEvidence(
    observed(honest, m, key, 'older'),
    observed(tree, n, key, 'newer'),
    fullConsistencyPath(m, n, tree.read),
  );
}

describe('log-inconsistency evidence', () => {
  test.prop([
    fc
      .tuple(fc.integer({ min: 1, max: 599 }), fc.integer({ min: 2, max: 600 }), fc.nat())
      .filter(([m, n]) => m < n),
  ])('verifies offline for a fork at any sizes (powers of two included)', ([m, n, at]) => {
    const evidence = parseInconsistency(formatInconsistency(forkEvidence(m, n, at % m)));
    const result = verifyInconsistency(evidence, { ...trust, quorum: 0 });
    expect(result.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(result.valid).toBe(true);
  });

  describe('when the two checkpoints are of one history', () => {
    it('fails incompatible: the proof shows they agree', () => {
      const tree = historyTree(300, 300, 'entry');
      const evidence = inconsistencyEvidence(
        observed(tree, 128, key, 'older'),
        observed(tree, 300, key, 'newer'),
        fullConsistencyPath(128, 300, tree.read),
      );
      const result = verifyInconsistency(evidence, { ...trust, quorum: 0 });
      expect(result.valid).toBe(false);
      expect(result.checks.find((c) => c.id === 'incompatible')?.message).toMatch(/consistent/);
    });
  });

  describe('when the checkpoints lack the witness quorum', () => {
    it('warns, and still holds the log to what it signed', () => {
      const result = verifyInconsistency(forkEvidence(5, 9, 2), trust);
      expect(result.valid).toBe(true);
      expect(result.checks.filter((c) => c.id === 'witness-quorum').map((c) => c.status)).toEqual([
        'warn',
        'warn',
      ]);
    });
  });

  describe('when a cosignature by a listed witness does not verify', () => {
    it('fails the checkpoint', () => {
      const evidence = forkEvidence(5, 9, 2);
      const text = evidence.newer.checkpoint.slice(
        0,
        evidence.newer.checkpoint.indexOf('\n\n') + 1,
      );
      const bad = cosign(text.replace('\n9\n', '\n8\n'), witness, 1_700_000_000);
      const result = verifyInconsistency(
        { ...evidence, newer: { ...evidence.newer, checkpoint: evidence.newer.checkpoint + bad } },
        trust,
      );
      expect(result.valid).toBe(false);
      expect(result.checks.find((c) => c.status === 'fail')?.id).toBe('checkpoint-signature');
    });
  });

  describe('when the conflict named does not match the sizes', () => {
    it('fails incompatible', () => {
      const evidence = { ...forkEvidence(5, 9, 2), conflict: 'two-roots-at-one-size' as const };
      expect(verifyInconsistency(evidence, { ...trust, quorum: 0 }).valid).toBe(false);
    });
  });

  describe('when a field is unknown or malformed', () => {
    it('rejects it with LOG_EVIDENCE_INVALID naming the field', () => {
      const text = formatInconsistency(forkEvidence(5, 9, 2));
      expect(() => parseInconsistency(text.replace('"detail"', '"details"'))).toThrow(
        expect.objectContaining({ code: 'LOG_EVIDENCE_INVALID', where: 'details' }),
      );
      expect(() =>
        parseInconsistency(JSON.stringify({ ...JSON.parse(text), proof: ['AAAA'] })),
      ).toThrow(expect.objectContaining({ where: 'proof[0]' }));
    });
  });
});
