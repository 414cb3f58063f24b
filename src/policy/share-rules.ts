/**
 * Caps and diversity rules: shares of the active equipment of one domain on a day, measured
 * with integer maths (pure, no I/O).
 */
import type { Day } from '../inventory/day.js';
import type { InventoryItem } from '../inventory/model.js';
import { measureResult, type MeasureResult } from './cap.js';
import { RuleHits, type Sink } from './findings.js';
import type { CompiledPack, CompiledRule } from './model.js';
import {
  domainCode,
  domainOn,
  MOVING_SLOT,
  NO_DOMAIN_SLOT,
  vendorCodeOf,
  type PreparedInventory,
} from './prepared-inventory.js';
import type { Measure } from './schema.js';
import { gatherCandidates, itemInScope, ruleScope, type RuleScope } from './scope.js';

/**
 * The active equipment of a share rule's domain on T that passes its technology and `where`
 * filters, written into `out`; returns how many. One scan of the slot column finds the items of
 * the domain (and those with a domain history, checked on T).
 */
function population(
  prepared: PreparedInventory,
  scope: RuleScope,
  code: number,
  T: Day,
  out: Int32Array,
): number {
  const { installed, removed, kindBit, technologyBits, items, slot } = prepared;
  const equipment = 1; // ITEM_KINDS[0]
  let count = 0;
  for (let i = 0; i < prepared.size; i += 1) {
    const s = slot[i] ?? NO_DOMAIN_SLOT;
    if (s !== code && s !== MOVING_SLOT) continue;
    if (!((installed[i] ?? 0) <= T && T < (removed[i] ?? 0))) continue;
    if ((kindBit[i] ?? 0) !== equipment) continue;
    if (scope.technology !== undefined && ((technologyBits[i] ?? 0) & scope.technology) === 0)
      continue;
    if (s === MOVING_SLOT && domainOn(items[i] as InventoryItem, T) !== code) continue;
    if (scope.where !== undefined && !scope.where(i)) continue;
    out[count] = i;
    count += 1;
  }
  return count;
}

/** Caps and diversity: shares of the active equipment of one domain on T. */
export function evaluateShareRule(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  T: Day,
  sink: Sink,
): void {
  if (rule.kind === 'cap' && !(rule.by !== undefined && T > rule.by)) return;
  if (rule.kind === 'diversity' && rule.effective !== undefined && T < rule.effective) return;
  // Decided between the two readings of an uncertain date: the finding is unverified.
  const unsure =
    (rule.byLatest !== undefined && T <= rule.byLatest) ||
    (rule.effectiveLatest !== undefined && T < rule.effectiveLatest);
  const scope = ruleScope(prepared, pack, rule);
  const code = domainCode([...rule.domains][0] ?? 'lab');
  const scratch = prepared.scratch();
  // Entity items first (those an entity of the rule reaches and that pass its qualifiers),
  // marked, so that the candidates array is free again for the population.
  let mark = 0;
  if (rule.kind === 'cap') {
    const count = gatherCandidates(prepared, scope, 'domains');
    mark = scratch.nextMark();
    for (let k = 0; k < count; k += 1) {
      const i = scratch.candidates[k] ?? 0;
      const entity = scope.entities[scratch.via[k] ?? 0];
      if (entity !== undefined && itemInScope(prepared, scope, entity, i)) scratch.marks[i] = mark;
    }
  }
  const members = scratch.candidates;
  const size = population(prepared, scope, code, T, members);
  if (rule.kind === 'diversity') {
    if (size > 0 && distinctVendors(prepared, members, size, rule.minVendors ?? 2)) {
      const hits = new RuleHits(prepared, pack, rule, T);
      for (let k = 0; k < size; k += 1) hits.fire(members[k] ?? 0, unsure, false);
      hits.flush(sink);
    }
    return;
  }
  const totals = capTotals(prepared, rule, members, size, scratch.marks, mark);
  const measures: Partial<Record<Measure, MeasureResult>> = {};
  for (const measure of rule.measures ?? []) {
    const t = totals[measure];
    if (t.denominator > 0)
      measures[measure] = measureResult(
        measure,
        t,
        rule.capNumerator ?? 0,
        rule.capDenominator ?? 1,
      );
  }
  if (Object.keys(measures).length === 0) return;
  sink.measurements.push({ pack: pack.id, rule: rule.id, measures });
  if (Object.values(measures).some((m) => m.breach)) {
    const hits = new RuleHits(prepared, pack, rule, T);
    for (let k = 0; k < size; k += 1) {
      const i = members[k] ?? 0;
      if (scratch.marks[i] === mark) hits.fire(i, unsure, false);
    }
    hits.flush(sink);
  }
}

/** Whether the population has fewer than `minVendors` vendor identities (aliases count once). */
function distinctVendors(
  prepared: PreparedInventory,
  members: Int32Array,
  size: number,
  minVendors: number,
): boolean {
  const seen = new Uint8Array(prepared.vendorKeys.length);
  let distinct = 0;
  for (let k = 0; k < size && distinct < minVendors; k += 1) {
    const v = vendorCodeOf(prepared, members[k] ?? 0);
    if (seen[v] === 0) {
      seen[v] = 1;
      distinct += 1;
    }
  }
  return distinct < minVendors;
}

/**
 * Integer totals of each measure over a cap's population, in one pass: sites are counted once
 * each through per-site flags, traffic in thousandths of a GB, premises as counts. Item i is an
 * entity item when marks[i] === mark.
 */
function capTotals(
  prepared: PreparedInventory,
  rule: CompiledRule,
  members: Int32Array,
  size: number,
  marks: Uint16Array,
  mark: number,
): Record<Measure, { numerator: number; denominator: number }> {
  const wantSites = rule.measures?.includes('sites') === true;
  // Per site: bit 1 counted in the population, bit 2 counted for the entities.
  const siteSeen = new Uint8Array(wantSites ? prepared.siteCount : 0);
  const { traffic, premises, siteIndex } = prepared;
  let sites = 0;
  let entitySites = 0;
  let trafficAll = 0;
  let trafficOwn = 0;
  let premisesAll = 0;
  let premisesOwn = 0;
  for (let k = 0; k < size; k += 1) {
    const i = members[k] ?? 0;
    const own = marks[i] === mark;
    const t = traffic[i] ?? 0;
    const p = premises[i] ?? 0;
    trafficAll += t;
    premisesAll += p;
    if (own) {
      trafficOwn += t;
      premisesOwn += p;
    }
    const s = siteIndex[i] ?? -1;
    if (wantSites && s >= 0) {
      const seen = siteSeen[s] ?? 0;
      if ((seen & 1) === 0) sites += 1;
      if (own && (seen & 2) === 0) entitySites += 1;
      siteSeen[s] = seen | 1 | (own ? 2 : 0);
    }
  }
  return {
    sites: { numerator: entitySites, denominator: sites },
    traffic: { numerator: trafficOwn, denominator: trafficAll },
    premises: { numerator: premisesOwn, denominator: premisesAll },
  };
}
