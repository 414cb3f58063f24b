import { describe, expect, it } from 'vitest';
import { inconsistencyEvidence } from '../../log/consistency/inconsistency-evidence.js';
import { openCheckpoint, signCheckpoint } from '../../tlog/checkpoint.js';
import { leafHash } from '../../tlog/hash.js';
import { MemoryTree } from '../../tlog/memory-tree.js';
import { generateNoteKey } from '../../tlog/note-key.js';
import { fullConsistencyPath } from '../../tlog/tree.js';
import { checkReport } from '../report.js';
import { NOW } from '../test-support.js';

const logKey = generateNoteKey('example.com/log');

function signed(prefix: string, size: number, seenBy: string) {
  const tree = new MemoryTree();
  for (let i = 0; i < size; i += 1) tree.append(leafHash(Buffer.from(`${prefix} ${i}`)));
  const checkpoint = signCheckpoint(
    { origin: logKey.name, size, rootHash: tree.root(), extensions: [] },
    logKey,
  );
  return { checkpoint, seenBy, opened: openCheckpoint(checkpoint, logKey).checkpoint, tree };
}

describe('log-inconsistency', () => {
  describe('when the log signed two roots for one size', () => {
    it('reports one critical finding whose evidence is the proof itself', () => {
      const a = signed('honest', 5, 'https://log.example');
      const b = signed('forged', 5, 'a witness');
      const evidence = inconsistencyEvidence(a, b, []);
      const [finding, ...rest] = checkReport(
        { statements: [], inconsistencies: [evidence] },
        { now: NOW },
      ).findings;
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        kind: 'log-inconsistency',
        severity: 'critical',
        subject: { log: 'example.com/log' },
        breaks: { type: 'log', property: 'consistency' },
        evidence: [evidence],
      });
      expect(finding?.explanation).toMatch(/two different trees of size 5/);
    });
  });

  describe('when a larger tree does not extend a smaller one', () => {
    it('names both sizes, and the same facts always give the same finding id', () => {
      const older = signed('honest', 5, 'the state file');
      const newer = signed('forged', 9, 'https://log.example');
      const evidence = inconsistencyEvidence(
        older,
        newer,
        fullConsistencyPath(5, 9, newer.tree.read),
      );
      const run = () =>
        checkReport({ statements: [], inconsistencies: [evidence] }, { now: NOW }).findings;
      const [finding] = run();
      expect(finding?.explanation).toMatch(
        /at size 9 .* does not extend its own checkpoint of size 5/,
      );
      expect(run()[0]?.id).toBe(finding?.id);
    });
  });

  describe('when nothing is inconsistent', () => {
    it('reports nothing', () => {
      expect(checkReport({ statements: [] }, { now: NOW }).findings).toEqual([]);
    });
  });
});
