/**
 * The remediation plan: for every removal deadline from a given day on (and every one already
 * passed), which items must leave, grouped per vendor and deadline and sorted by date; and for
 * every cap, how far over it the network will be on the day it applies.
 */
import type { Day } from '../inventory/day.js';
import { bindPacks, NO_ASSUMPTIONS, type Assumptions } from './bind.js';
import { excessOver, TRAFFIC_SCALE } from './cap.js';
import { evaluatePacks } from './evaluate.js';
import type { CompiledPack, CompiledRule } from './model.js';
import { vendorCodeOf, type PreparedInventory } from './prepared-inventory.js';
import type { CapStep, RemediationPlan, RemovalStep } from './plan-steps.js';
import type { Measure } from './schema.js';
import { authorisationSteps } from './plan-authorisations.js';
import { stateRuleStart, stateRuleSureStart } from './scope.js';

export type { CapStep, RemediationPlan, RemovalStep } from './plan-steps.js';

/**
 * Plans what must leave, by when, for every enabled removal and cap rule of `packs`; rules whose
 * deadlines count from a parameter use the `assumptions` given, or are listed as pending.
 */
export function planRemediation(
  prepared: PreparedInventory,
  packs: readonly CompiledPack[],
  from: Day,
  assumptions: Assumptions = NO_ASSUMPTIONS,
): RemediationPlan {
  const removals: RemovalStep[] = [];
  const caps: CapStep[] = [];
  const operator = prepared.inventory.operator;
  const bound = bindPacks(packs, assumptions);
  for (const pack of bound.packs) {
    for (const rule of pack.rules) {
      if (!rule.enabled) continue;
      if (rule.kind === 'cap' && rule.by !== undefined) {
        const step = capStep(prepared, pack, rule, rule.by, from);
        if (step !== undefined) caps.push(step);
        continue;
      }
      if (rule.kind === 'authorisation') {
        removals.push(...authorisationSteps(prepared, pack, rule, from));
        continue;
      }
      if (rule.kind !== 'exclude' && rule.kind !== 'remove') continue;
      const start = stateRuleStart(rule, operator);
      if (start === undefined) continue;
      const sure = stateRuleSureStart(rule, operator) ?? start;
      const day = Math.max(start, from);
      const result = evaluatePacks(prepared, [{ ...pack, rules: [rule] }], day);
      for (const finding of result.findings) {
        if (finding.status === 'review') continue;
        const byVendor = new Map<string, string[]>();
        finding.indices.forEach((index, k) => {
          const vendor = prepared.vendorKeys[vendorCodeOf(prepared, index)] ?? '?';
          const list = byVendor.get(vendor) ?? [];
          list.push(finding.items[k] ?? '');
          byVendor.set(vendor, list);
        });
        for (const [vendor, items] of byVendor) {
          removals.push({
            by: start - 1,
            pack: pack.id,
            rule: rule.id,
            title: rule.title,
            status: rule.status,
            vendor,
            items,
            overdue: from >= start,
            ...(finding.unverified === true || sure !== start ? { unverified: true as const } : {}),
            ...(sure === start ? {} : { latest: sure - 1 }),
          });
        }
      }
    }
  }
  const order = <T extends { by: Day; pack: string; rule: string }>(a: T, b: T): number =>
    a.by - b.by || a.pack.localeCompare(b.pack) || a.rule.localeCompare(b.rule);
  removals.sort((a, b) => order(a, b) || (a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : 0));
  caps.sort(order);
  return { from, removals, caps, pending: bound.pending, assumptions };
}

function capStep(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  by: Day,
  from: Day,
): CapStep | undefined {
  const day = Math.max(by + 1, from);
  const result = evaluatePacks(prepared, [{ ...pack, rules: [rule] }], day);
  const measurement = result.measurements[0];
  if (measurement === undefined) return undefined;
  const excess: Partial<Record<Measure, number>> = {};
  for (const [measure, m] of Object.entries(measurement.measures) as [
    Measure,
    NonNullable<(typeof measurement.measures)[Measure]>,
  ][]) {
    if (!m.breach) continue;
    const scale = measure === 'traffic' ? TRAFFIC_SCALE : 1;
    const totals = {
      numerator: Math.round(m.numerator * scale),
      denominator: Math.round(m.denominator * scale),
    };
    excess[measure] = excessOver(totals, rule.capNumerator ?? 0, rule.capDenominator ?? 1) / scale;
  }
  if (Object.keys(excess).length === 0) return undefined;
  return {
    by,
    pack: pack.id,
    rule: rule.id,
    title: rule.title,
    status: rule.status,
    overdue: from > by,
    ...(rule.byLatest === undefined ? {} : { latest: rule.byLatest }),
    excess,
  };
}
