/**
 * The evaluator (pure: no I/O, the date is handed in). For an inventory and a day it returns,
 * per pack, the findings of every rule in force, a measurement of every cap in force, and the
 * items an exemption takes out of a finding. Semantics: nospy policy reference §5 and the RULE
 * KINDS of policy-packs.yaml -- point-in-time state at T, deadline days compliant, a removed item
 * counted from its first day out of service, domain moves as installs, integer share maths.
 */
import type { Day } from '../inventory/day.js';
import type { InventoryItem } from '../inventory/model.js';
import { measureResult, TRAFFIC_SCALE, type MeasureResult } from './cap.js';
import {
  RuleHits,
  type Evaluation,
  type ExemptItems,
  type Finding,
  type Measurement,
  type Sink,
} from './findings.js';
import type { CompiledPack, CompiledRule, PackEntity } from './model.js';
import { domainCode, NO_DOMAIN, type PreparedInventory } from './prepare.js';
import type { Measure } from './schema.js';
import {
  firstScopeEntry,
  forEachCandidate,
  itemInScope,
  operatorInScope,
  overlaps,
  siteOf,
  stateRuleStart,
} from './scope.js';

export type { Evaluation, ExemptItems, Finding, Measurement, VendorEvidence } from './findings.js';

/** Evaluates every enabled rule of `packs` on `date`. */
export function evaluatePacks(
  prepared: PreparedInventory,
  packs: readonly CompiledPack[],
  date: Day,
): Evaluation {
  const out = {
    findings: [] as Finding[],
    measurements: [] as Measurement[],
    exempt: [] as ExemptItems[],
  };
  for (const pack of packs) {
    for (const rule of pack.rules) {
      if (rule.enabled) evaluateRule(prepared, pack, rule, date, out);
    }
  }
  return { date, ...out };
}

function evaluateRule(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  T: Day,
  sink: Sink,
): void {
  const operator = prepared.inventory.operator;
  if (!operatorInScope(rule, operator)) return;
  if (rule.kind === 'cap' || rule.kind === 'diversity') {
    evaluateShareRule(prepared, pack, rule, T, sink);
    return;
  }
  const hits = new RuleHits(prepared, pack, rule);
  const view = prepared.dayView(T);
  const domainMask = maskOf(rule);
  const items = prepared.items;
  let visit: (index: number, entity: PackEntity, review: boolean) => void;
  switch (rule.kind) {
    case 'exclude':
    case 'remove': {
      // State at T: in force from `start`, item in service and in scope that day.
      const start = stateRuleStart(rule, operator);
      if (start === undefined || T < start) return;
      const { active, domain } = view;
      visit = (index, entity, review) => {
        if (active[index] !== 1 || domainMask[domain[index] ?? NO_DOMAIN] !== 1) return;
        if (itemInScope(rule, entity, items[index] as InventoryItem, siteOf(prepared, index)))
          hits.fire(index, T, review);
      };
      break;
    }
    case 'no_new_install': {
      const accept = (e: Day): boolean => e <= T && opensAfter(rule, e);
      visit = (index, entity, review) => {
        const item = items[index] as InventoryItem;
        if (!itemInScope(rule, entity, item, siteOf(prepared, index))) return;
        const entry = firstScopeEntry(rule, item, accept);
        if (entry !== undefined) hits.fire(index, entry, review);
      };
      break;
    }
    case 'no_new_procurement':
      visit = (index, entity, review) => {
        const item = items[index] as InventoryItem;
        const bought = item.procured;
        if (bought === undefined || bought > T || !opensAfter(rule, bought)) return;
        if (domainMask[procurementDomain(item, bought)] !== 1) return;
        if (itemInScope(rule, entity, item, siteOf(prepared, index)))
          hits.fire(index, bought, review);
      };
      break;
    case 'no_event':
      visit = (index, entity, review) => {
        const item = items[index] as InventoryItem;
        if (item.events.length === 0) return;
        const from = rule.from ?? (entity.listedOn ?? Infinity) + (rule.fromOffsetDays ?? 0);
        const event = item.events.find(
          (e) =>
            e.type === rule.eventType &&
            e.date >= from &&
            e.date <= T &&
            (!rule.domainsExplicit || domainMask[domainOn(item, e.date)] === 1),
        );
        if (event !== undefined && itemInScope(rule, entity, item, siteOf(prepared, index))) {
          hits.fire(index, event.date, review);
        }
      };
      break;
  }
  forEachCandidate(prepared, pack, rule, false, (index, entity) => {
    visit(index, entity, false);
  });
  if (rule.matchComponents)
    forEachCandidate(prepared, pack, rule, true, (index, entity) => {
      visit(index, entity, true);
    });
  hits.flush(sink);
}

/** An event rule's window: e > after, or e >= from. */
function opensAfter(rule: CompiledRule, day: Day): boolean {
  return rule.after !== undefined ? day > rule.after : rule.from !== undefined && day >= rule.from;
}

function domainOn(item: InventoryItem, day: Day): number {
  let code = NO_DOMAIN;
  for (const span of item.domains) {
    if (span.from > day) break;
    code = domainCode(span.domain);
  }
  return code;
}

/** The domain an item was bought for: its domain that day, else the first it is recorded in. */
function procurementDomain(item: InventoryItem, day: Day): number {
  const code = domainOn(item, day);
  if (code !== NO_DOMAIN) return code;
  const first = item.domains[0];
  return first === undefined ? NO_DOMAIN : domainCode(first.domain);
}

const masks = new WeakMap<CompiledRule, Uint8Array>();
function maskOf(rule: CompiledRule): Uint8Array {
  let mask = masks.get(rule);
  if (mask === undefined) {
    mask = new Uint8Array(256);
    for (const d of rule.domains) mask[domainCode(d)] = 1;
    masks.set(rule, mask);
  }
  return mask;
}

/** Caps and diversity: shares of the active equipment of one domain on T. */
function evaluateShareRule(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  T: Day,
  sink: Sink,
): void {
  if (rule.kind === 'cap' && !(rule.by !== undefined && T > rule.by)) return;
  if (rule.kind === 'diversity' && rule.effective !== undefined && T < rule.effective) return;
  const n = prepared.items.length;
  const inEntity = new Uint8Array(n);
  forEachCandidate(prepared, pack, rule, false, (index, entity) => {
    if (itemInScope(rule, entity, prepared.items[index] as InventoryItem, siteOf(prepared, index)))
      inEntity[index] = 1;
  });
  const view = prepared.dayView(T);
  const code = domainCode([...rule.domains][0] ?? 'lab');
  const population: number[] = [];
  const entityItems: number[] = [];
  for (const i of view.byDomain(code)) {
    const item = prepared.items[i] as InventoryItem;
    if (item.kind !== 'equipment') continue;
    if (rule.technology !== undefined && !overlaps(item.technology, rule.technology)) continue;
    if (rule.where.item !== undefined && !rule.where.item(item, siteOf(prepared, i))) continue;
    population.push(i);
    if (inEntity[i] === 1) entityItems.push(i);
  }
  if (rule.kind === 'diversity') {
    const vendors = new Set(population.map((i) => prepared.vendorKey[i]));
    if (population.length > 0 && vendors.size < (rule.minVendors ?? 2)) {
      const hits = new RuleHits(prepared, pack, rule);
      for (const i of population) hits.fire(i, T, false);
      hits.flush(sink);
    }
    return;
  }
  const measures = capMeasures(prepared, rule, population, inEntity);
  if (Object.keys(measures).length === 0) return;
  sink.measurements.push({ pack: pack.id, rule: rule.id, measures });
  if (Object.values(measures).some((m) => m.breach)) {
    const hits = new RuleHits(prepared, pack, rule);
    for (const i of entityItems) hits.fire(i, T, false);
    hits.flush(sink);
  }
}

/** Every measure of a cap with a non-zero denominator. */
export function capMeasures(
  prepared: PreparedInventory,
  rule: CompiledRule,
  population: readonly number[],
  inEntity: Uint8Array,
): Partial<Record<Measure, MeasureResult>> {
  const totals = capTotals(prepared, rule, population, inEntity);
  const out: Partial<Record<Measure, MeasureResult>> = {};
  for (const measure of rule.measures ?? []) {
    const t = totals[measure];
    if (t.denominator > 0)
      out[measure] = measureResult(measure, t, rule.capNumerator ?? 0, rule.capDenominator ?? 1);
  }
  return out;
}

/** Integer totals of each measure over a cap's population. */
export function capTotals(
  prepared: PreparedInventory,
  rule: CompiledRule,
  population: readonly number[],
  inEntity: Uint8Array,
): Record<Measure, { numerator: number; denominator: number }> {
  const wantSites = rule.measures?.includes('sites') === true;
  const siteAll = wantSites ? new Uint8Array(prepared.siteCount) : undefined;
  const siteEntity = wantSites ? new Uint8Array(prepared.siteCount) : undefined;
  let sites = 0;
  let entitySites = 0;
  let traffic = 0;
  let entityTraffic = 0;
  let premises = 0;
  let entityPremises = 0;
  for (const i of population) {
    const item = prepared.items[i] as InventoryItem;
    const own = inEntity[i] === 1;
    const t = Math.round((item.trafficGbPerDay ?? 0) * TRAFFIC_SCALE);
    const p = item.premisesServed ?? 0;
    traffic += t;
    premises += p;
    if (own) {
      entityTraffic += t;
      entityPremises += p;
    }
    const s = prepared.siteIndex[i] ?? -1;
    if (siteAll !== undefined && siteEntity !== undefined && s >= 0) {
      if (siteAll[s] === 0) {
        siteAll[s] = 1;
        sites += 1;
      }
      if (own && siteEntity[s] === 0) {
        siteEntity[s] = 1;
        entitySites += 1;
      }
    }
  }
  return {
    sites: { numerator: entitySites, denominator: sites },
    traffic: { numerator: entityTraffic, denominator: traffic },
    premises: { numerator: entityPremises, denominator: premises },
  };
}
