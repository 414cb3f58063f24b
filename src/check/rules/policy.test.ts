import { describe, expect, it } from 'vitest';
import { parseDay } from '../../inventory/day.js';
import type { Evaluation } from '../../policy/evaluate.js';
import { checkReport } from '../report.js';
import { NOW } from '../test-support.js';

const day = parseDay('2026-06-01') ?? 0;
function evaluation(status: 'violation' | 'advisory'): Evaluation {
  return {
    date: day,
    findings: [
      {
        pack: 'us-ndaa-889',
        rule: 'no-covered-equipment',
        title: 'Section 889',
        status,
        items: ['sw-1', 'sw-2'],
        vendors: [
          {
            recorded: 'Huawei',
            entity: 'Huawei',
            role: 'name',
            name: 'Huawei',
            via: 'vendor',
            items: 2,
          },
        ],
        indices: [0, 1],
      },
    ],
    measurements: [],
    exempt: [],
  } as unknown as Evaluation;
}

describe('policy-violation', () => {
  describe('when a rule is violated', () => {
    it('reports it naming the pack, rule and items', () => {
      const [f] = checkReport(
        { statements: [], policy: evaluation('violation') },
        { now: NOW },
      ).findings;
      expect(f?.breaks).toEqual({
        type: 'rule',
        pack: 'us-ndaa-889',
        rule: 'no-covered-equipment',
      });
      expect(f?.subject).toEqual({ vendor: 'Huawei' });
      expect(f?.evidence[0]).toMatchObject({ type: 'policy', items: ['sw-1', 'sw-2'] });
    });
  });

  describe('when the rule is only advisory', () => {
    it('reports nothing', () => {
      expect(
        checkReport({ statements: [], policy: evaluation('advisory') }, { now: NOW }).findings,
      ).toEqual([]);
    });
  });
});
