import { describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../tlog/note-key.js';
import { crossCheck } from './cross-check.js';
import { verifyInconsistency } from './inconsistency-evidence.js';
import { copyOf, historyTree, observed } from './test-support.js';

const key = generateNoteKey('log.example/cross');
const trust = { logKey: key, witnesses: [], quorum: 0 };

describe('checking checkpoints of one log against each other', () => {
  describe('when every checkpoint is of one history', () => {
    it('links each to the largest and finds them all consistent', async () => {
      const tree = historyTree(700, 700, 'entry');
      const outcome = await crossCheck(
        [observed(tree, 256, key, 'a'), observed(tree, 1, key, 'b'), observed(tree, 699, key, 'c')],
        [copyOf(tree, key, 'the log')],
      );
      expect(outcome.inconsistencies).toEqual([]);
      expect(outcome.unchecked).toEqual([]);
      expect(outcome.consistent.map((c) => c.size).sort((a, b) => a - b)).toEqual([
        1, 256, 699, 700,
      ]);
    });
  });

  describe('when a smaller checkpoint is of another history', () => {
    it('proves it with the larger tree, and the proof verifies offline', async () => {
      const tree = historyTree(700, 700, 'entry');
      const fork = historyTree(512, 300, 'forged');
      const outcome = await crossCheck(
        [observed(fork, 512, key, 'a witness')],
        [copyOf(tree, key, 'the log')],
      );
      const [evidence] = outcome.inconsistencies;
      expect(evidence).toMatchObject({ conflict: 'not-an-extension' });
      if (evidence === undefined) throw new Error('no evidence');
      expect(verifyInconsistency(evidence, trust).valid).toBe(true);
      expect(outcome.unchecked).toEqual([]);
    });
  });

  describe('when two checkpoints have one size and two roots', () => {
    it('reports them without a proof', async () => {
      const tree = historyTree(300, 300, 'entry');
      const twin = historyTree(300, 299, 'twin');
      const outcome = await crossCheck(
        [observed(twin, 300, key, 'gossip')],
        [copyOf(tree, key, 'the log')],
      );
      expect(outcome.inconsistencies).toHaveLength(1);
      expect(outcome.inconsistencies[0]).toMatchObject({
        conflict: 'two-roots-at-one-size',
        proof: [],
      });
    });
  });

  describe('when a checkpoint is larger than every copy at hand', () => {
    it('leaves it and the smaller ones unchecked rather than call them consistent', async () => {
      const tree = historyTree(300, 300, 'entry');
      const later = historyTree(400, 400, 'entry');
      const outcome = await crossCheck(
        [observed(later, 400, key, 'a mailed note')],
        [copyOf(tree, key, 'the log')],
      );
      expect(outcome.inconsistencies).toEqual([]);
      expect(outcome.consistent).toEqual([]);
      expect(outcome.unchecked.map((u) => u.size).sort()).toEqual([300, 400]);
    });
  });

  describe('when a copy serves hashes that do not give its signed root', () => {
    it('does not take its word either way, and says why', async () => {
      const tree = historyTree(300, 300, 'entry');
      const other = historyTree(400, 100, 'other');
      const lying = copyOf(historyTree(400, 400, 'entry'), key, 'a lying mirror', other);
      const outcome = await crossCheck([], [copyOf(tree, key, 'the log'), lying]);
      expect(outcome.inconsistencies).toEqual([]);
      expect(outcome.unchecked.find((u) => u.size === 300)?.reason).toMatch(
        /a lying mirror serves tiles that do not give its signed root/,
      );
    });
  });
});
