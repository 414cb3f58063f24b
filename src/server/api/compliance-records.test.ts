import { describe, expect, it } from 'vitest';
import { parseDay } from '../../inventory/day.js';
import { inventoryFromObject } from '../../inventory/load.js';
import { evaluatePacks } from '../../policy/evaluate.js';
import { loadPack, loadRegistry } from '../../policy/load.js';
import { planRemediation } from '../../policy/plan.js';
import { prepareInventory } from '../../policy/prepare/prepare-inventory.js';
import { vendorShares } from '../../policy/shares.js';
import { complianceRecords } from './compliance-records.js';

const registry = loadRegistry();
const inventory = inventoryFromObject({
  operator: { id: 'op' },
  items: [{ id: 'amf', vendor: 'Huawei', domain: 'core', technology: ['5G'] }],
});

function recordsOn(date: string, assumptions = new Map<string, number>()) {
  const day = parseDay(date) ?? 0;
  const packs = [loadPack('eu-csa-2026-proposal', registry)];
  const ready = prepareInventory(inventory, registry);
  return complianceRecords({
    packs,
    evaluation: evaluatePacks(ready, packs, day, assumptions),
    plan: planRemediation(ready, packs, day, assumptions),
    shares: vendorShares(ready, day),
  });
}

describe('the compliance view of a proposal', () => {
  it('marks the pack proposed and lists its rule as not yet applicable, with what it waits for', () => {
    const [record] = recordsOn('2026-06-01');
    expect(record?.proposed).toBe(true);
    expect(record?.pending).toEqual([
      {
        rule: 'eu-csa2-mobile-phaseout',
        waitsFor: ['list_published'],
        what: expect.stringMatching(
          /^High-risk suppliers' .* \(proposed law\): not yet applicable, waits for the publication of the Commission's designation/,
        ) as unknown,
      },
    ]);
    expect(record?.deadlines).toEqual([]);
  });

  it('once the list is assumed, gives the deadline as proposed law, not as an obligation in force', () => {
    const [record] = recordsOn(
      '2026-06-01',
      new Map([['list_published', parseDay('2027-03-01') ?? 0]]),
    );
    expect(record?.pending).toEqual([]);
    expect(record?.deadlines).toEqual([
      {
        date: '2030-03-01',
        rule: 'eu-csa2-mobile-phaseout',
        what: expect.stringContaining('(proposed law, not in force): last day allowed') as unknown,
      },
    ]);
  });
});
