/**
 * The evaluator (pure: no I/O, the date is handed in). For an inventory and a day it returns,
 * per pack, the findings of every rule in force, a measurement of every cap in force, and the
 * items an exemption takes out of a finding. Semantics: nospy policy reference §5 and the RULE
 * KINDS of policy-packs.yaml -- point-in-time state at T, deadline days compliant, a removed item
 * counted from its first day out of service, domain moves as installs, integer share maths.
 */
import type { Day } from '../inventory/day.js';
import type { InventoryItem } from '../inventory/model.js';
import type { NameRole, VendorMatch } from '../inventory/vendor.js';
import { measureResult, TRAFFIC_SCALE, type MeasureResult } from './cap.js';
import type { CompiledPack, CompiledRule, PackEntity } from './model.js';
import { domainCode, NO_DOMAIN, type PreparedInventory } from './prepare.js';
import type { Measure, RuleStatus } from './schema.js';
import {
  forEachCandidate,
  itemInScope,
  operatorInScope,
  overlaps,
  firstScopeEntry,
  siteOf,
  stateRuleStart,
} from './scope.js';
import type { CompiledExemption } from './model.js';

/** Which registry name a finding's recorded vendor matched. */
export interface VendorEvidence {
  /** The vendor (or component vendor) as the inventory recorded it. */
  readonly recorded: string;
  readonly entity: string;
  readonly role: NameRole | 'category';
  /** The registry name that matched (for a category, its canonical description). */
  readonly name: string;
  readonly via: 'vendor' | 'component';
  readonly items: number;
}

export interface Finding {
  readonly pack: string;
  readonly rule: string;
  readonly title: string | undefined;
  readonly status: RuleStatus;
  /** Item ids, sorted. */
  readonly items: readonly string[];
  readonly unverified?: true;
  readonly vendors: readonly VendorEvidence[];
  /** Inventory indices of `items`, same order (for the plan; not part of the document). */
  readonly indices: readonly number[];
}

export interface Measurement {
  readonly pack: string;
  readonly rule: string;
  readonly measures: Partial<Record<Measure, MeasureResult>>;
}

export interface ExemptItems {
  readonly pack: string;
  readonly rule: string;
  readonly exemption: string;
  readonly items: readonly string[];
}

export interface Evaluation {
  readonly date: Day;
  readonly findings: readonly Finding[];
  readonly measurements: readonly Measurement[];
  readonly exempt: readonly ExemptItems[];
}

/** A day is "near" an uncertain date when within a month of it. */
const UNCERTAIN_WINDOW_DAYS = 31;

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

interface Sink {
  findings: Finding[];
  measurements: Measurement[];
  exempt: ExemptItems[];
}

/** Collects the firing items of one rule, splitting off exempt ones. */
class RuleHits {
  readonly direct: number[] = [];
  readonly review: number[] = [];
  readonly exempt = new Map<string, number[]>();
  unverified = false;
  private readonly exemptions: readonly CompiledExemption[];

  constructor(
    private readonly prepared: PreparedInventory,
    private readonly pack: CompiledPack,
    private readonly rule: CompiledRule,
  ) {
    const operator = prepared.inventory.operator;
    this.exemptions = pack.exemptions.filter(
      (e) => e.rules.has(rule.id) && (e.where.operator === undefined || e.where.operator(operator)),
    );
  }

  fire(index: number, decisiveDay: Day, review: boolean): void {
    if (this.exemptions.length > 0) {
      const item = this.prepared.items[index] as InventoryItem;
      for (const exemption of this.exemptions) {
        if (
          exemption.where.item !== undefined &&
          !exemption.where.item(item, siteOf(this.prepared, index))
        )
          continue;
        const list = this.exempt.get(exemption.id) ?? [];
        list.push(index);
        this.exempt.set(exemption.id, list);
        return;
      }
    }
    (review ? this.review : this.direct).push(index);
    if (
      this.rule.uncertainDays.length > 0 &&
      this.rule.uncertainDays.some((d) => Math.abs(decisiveDay - d) <= UNCERTAIN_WINDOW_DAYS)
    ) {
      this.unverified = true;
    }
  }

  flush(sink: Sink): void {
    const { prepared, pack, rule } = this;
    const base = { pack: pack.id, rule: rule.id, title: rule.title };
    const unverified = rule.unverified || this.unverified ? { unverified: true as const } : {};
    for (const [list, review] of [
      [this.direct, false],
      [this.review, true],
    ] as const) {
      if (list.length === 0) continue;
      const indices = prepared.sortByItemId(list);
      sink.findings.push({
        ...base,
        status: review ? 'review' : rule.status,
        items: idsOf(prepared, indices),
        ...unverified,
        vendors: evidence(prepared, pack, rule, indices, review ? 'component' : 'vendor'),
        indices,
      });
    }
    // In the pack's order of exemptions, whatever order the items were met in.
    for (const { id } of pack.exemptions) {
      const items = this.exempt.get(id);
      if (items !== undefined) {
        sink.exempt.push({
          pack: pack.id,
          rule: rule.id,
          exemption: id,
          items: idsOf(prepared, prepared.sortByItemId(items)),
        });
      }
    }
  }
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

function idsOf(prepared: PreparedInventory, indices: readonly number[]): string[] {
  const out = new Array<string>(indices.length);
  for (let k = 0; k < indices.length; k += 1)
    out[k] = (prepared.items[indices[k] ?? 0] as InventoryItem).id;
  return out;
}

/** Which recorded names matched which registry names, with counts, for the report. */
function evidence(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  indices: readonly number[],
  via: 'vendor' | 'component',
): VendorEvidence[] {
  if (rule.kind === 'diversity') return [];
  const scope = new Set(rule.entities);
  const byKey = new Map<string, { e: Omit<VendorEvidence, 'items'>; items: number }>();
  const add = (e: Omit<VendorEvidence, 'items'>): void => {
    const key = `${e.recorded}\u0000${e.entity}`;
    const found = byKey.get(key);
    if (found === undefined) byKey.set(key, { e, items: 1 });
    else found.items += 1;
  };
  let categories: { id: string; items: ReadonlySet<number> }[] | undefined;
  const byMatch = new Map<VendorMatch, { recorded: string; entity: string; items: number }>();
  for (const i of indices) {
    const item = prepared.items[i] as InventoryItem;
    if (via === 'component') {
      for (const hit of prepared.componentHits.get(i) ?? []) {
        const entity = prepared.entityIds[hit.entity] ?? '';
        if (scope.has(entity))
          add({ recorded: hit.vendor, entity, role: hit.match.role, name: hit.match.name, via });
      }
      continue;
    }
    const match = prepared.matchOf[i];
    const entity = prepared.entityIds[prepared.itemEntity[i] ?? -1];
    if (match !== undefined && entity !== undefined && scope.has(entity)) {
      // One match object per distinct recorded name: count by identity, describe once.
      const counted = byMatch.get(match);
      if (counted === undefined) byMatch.set(match, { recorded: item.vendor, entity, items: 1 });
      else counted.items += 1;
      continue;
    }
    // Reached through a category entity, matched on item fields rather than on a name.
    categories ??= pack.entities
      .filter((e) => scope.has(e.id))
      .map((e) => ({
        id: e.id,
        items: new Set(prepared.byEntity[prepared.entityIndex.get(e.id) ?? -1] ?? []),
      }));
    const category = categories.find((c) => c.items.has(i));
    if (category !== undefined)
      add({ recorded: item.vendor, entity: category.id, role: 'category', name: category.id, via });
  }
  for (const [match, { recorded, entity, items }] of byMatch) {
    const key = `${recorded}\u0000${entity}`;
    const found = byKey.get(key);
    const e = { recorded, entity, role: match.role, name: match.name, via };
    if (found === undefined) byKey.set(key, { e, items });
    else found.items += items;
  }
  return [...byKey.values()]
    .map(({ e, items }) => ({ ...e, items }))
    .sort((a, b) => (a.recorded < b.recorded ? -1 : a.recorded > b.recorded ? 1 : 0));
}
