import { describe, expect, it } from 'vitest';
import { parseDay } from '../../inventory/day.js';
import type { Evaluation } from '../../policy/evaluate.js';
import { checkReport } from '../report.js';
import { INVENTORY_PREDICATE_TYPE } from '../../statements/predicates/inventory.js';
import type { Statement } from '../../statements/statement.js';
import { logged, NOW } from '../test-support.js';

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

  describe('when the inventory it was evaluated on is logged', () => {
    it('carries the inventory statement as a bundle, the packs and registry by digest, and the day', () => {
      const statement = {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'inventory.yaml', digest: { sha256: 'd'.repeat(64) } }],
        predicateType: INVENTORY_PREDICATE_TYPE,
        predicate: { operator: 'Albion Mobile', asOf: '2026-06-01', format: 'yaml' },
      } as Statement;
      const inventory = logged(statement, 7);
      const [f] = checkReport(
        {
          statements: [inventory],
          policy: evaluation('violation'),
          policyInput: {
            inventory,
            bytes: Buffer.from('inventory'),
            packs: [{ id: 'us-ndaa-889', sha256: 'e'.repeat(64) }],
            registry: 'f'.repeat(64),
            date: '2026-06-01',
          },
        },
        { now: NOW },
      ).findings;
      expect(f?.evidence[0]).toMatchObject({
        type: 'policy',
        logged: {
          inventory: { type: 'statement', format: 'nospy-evidence/v1', index: 7, proof: 'proof-7' },
          packs: [{ id: 'us-ndaa-889', sha256: 'e'.repeat(64) }],
          registry: 'f'.repeat(64),
          date: '2026-06-01',
        },
      });
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
