import { describe, expect, it } from 'vitest';
import type { CheckpointObservation } from '../evidence.js';
import { checkReport } from '../report.js';
import { NOW } from '../test-support.js';

const cp = (seenBy: string, size: number, rootHash: string): CheckpointObservation => ({
  seenBy,
  note: `example.com/log\n${size}\n${rootHash}\n`,
  origin: 'example.com/log',
  size,
  rootHash,
});

describe('log-inconsistency', () => {
  describe('when two witnesses saw different roots for one size', () => {
    it('reports a split view with both checkpoints', () => {
      const [f, ...rest] = checkReport(
        { statements: [], checkpoints: [cp('w1', 5, 'aa'), cp('w2', 5, 'bb'), cp('w3', 6, 'cc')] },
        { now: NOW },
      ).findings;
      expect(rest).toEqual([]);
      expect(f?.breaks).toEqual({ type: 'log', property: 'witness-agreement' });
      expect(f?.evidence[0]).toMatchObject({
        type: 'checkpoints',
        checkpoints: [expect.any(String), expect.any(String)],
      });
    });
  });

  describe('when every witness agrees', () => {
    it('reports nothing', () => {
      expect(
        checkReport(
          { statements: [], checkpoints: [cp('w1', 5, 'aa'), cp('w2', 5, 'aa')] },
          { now: NOW },
        ).findings,
      ).toEqual([]);
    });
  });

  describe('when a consistency proof failed', () => {
    it('reports the two checkpoints', () => {
      const [f] = checkReport(
        {
          statements: [],
          failedConsistency: [
            {
              origin: 'example.com/log',
              older: cp('monitor', 5, 'aa'),
              newer: cp('log', 9, 'dd'),
              reason: 'root mismatch',
            },
          ],
        },
        { now: NOW },
      ).findings;
      expect(f?.breaks).toEqual({ type: 'log', property: 'consistency' });
      expect(f?.subject).toEqual({ log: 'example.com/log' });
    });
  });
});
