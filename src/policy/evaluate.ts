/**
 * The evaluator (pure: no I/O, the date is handed in). For an inventory and a day it returns,
 * per pack, the findings of every rule in force, a measurement of every cap in force, and the
 * items an exemption takes out of a finding. Semantics: nospy policy reference §5 and the RULE
 * KINDS of policy-packs.yaml -- point-in-time state at T, deadline days compliant, a removed item
 * counted from its first day out of service, domain moves as installs, integer share maths.
 *
 * Speed: the inventory is prepared once (prepare/prepare-inventory.ts) and shared by every pack.
 * Each rule gathers the items of its entities in its domains (scope.ts), then one loop per rule
 * kind tests the typed columns first (in service? domain? kind? technology?) and reads an item
 * object only for the rare qualifiers (purposes, `where`, domain histories, events).
 */
import type { Day } from '../inventory/day.js';
import { authorisationValid, type Authorisation, type InventoryItem } from '../inventory/model.js';
import { bindPacks, NO_ASSUMPTIONS, type Assumptions } from './bind.js';
import { measureResult, type MeasureResult } from './cap.js';
import {
  RuleHits,
  type Evaluation,
  type ExemptItems,
  type Finding,
  type Measurement,
  type Sink,
} from './findings.js';
import type { CompiledPack, CompiledRule } from './model.js';
import {
  domainCode,
  domainOn,
  DAY_UNKNOWN,
  MOVING_SLOT,
  NO_DOMAIN,
  NO_DOMAIN_SLOT,
  vendorCodeOf,
  type PreparedInventory,
} from './prepared-inventory.js';
import type { Measure } from './schema.js';
import {
  eventOpens,
  eventSurelyOpens,
  firstScopeEntry,
  gatherCandidates,
  itemInScope,
  operatorInScope,
  ruleScope,
  stateRuleStart,
  stateRuleSureStart,
  type RuleScope,
} from './scope.js';

export type { Evaluation, ExemptItems, Finding, Measurement, VendorEvidence } from './findings.js';
export type { PendingRule } from './bind.js';

/**
 * Evaluates every enabled rule of `packs` on `date`. Rules whose dates count from a parameter are
 * evaluated with the `assumptions` given for them, and listed as pending without.
 */
export function evaluatePacks(
  prepared: PreparedInventory,
  packs: readonly CompiledPack[],
  date: Day,
  assumptions: Assumptions = NO_ASSUMPTIONS,
): Evaluation {
  const bound = bindPacks(packs, assumptions);
  const out = {
    findings: [] as Finding[],
    measurements: [] as Measurement[],
    exempt: [] as ExemptItems[],
  };
  for (const pack of bound.packs) {
    for (const rule of pack.rules) {
      if (rule.enabled) evaluateRule(prepared, pack, rule, date, out);
    }
  }
  return { date, ...out, pending: bound.pending, assumptions };
}

function evaluateRule(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  T: Day,
  sink: Sink,
): void {
  if (!operatorInScope(rule, prepared.inventory.operator)) return;
  if (rule.kind === 'cap' || rule.kind === 'diversity') {
    evaluateShareRule(prepared, pack, rule, T, sink);
    return;
  }
  const hits = new RuleHits(prepared, pack, rule, T);
  if (rule.kind === 'exclude' || rule.kind === 'remove') {
    // State at T: in force from `start`, item in service and in scope that day.
    const operator = prepared.inventory.operator;
    const start = stateRuleStart(rule, operator);
    if (start === undefined || T < start) return;
    if (T < (stateRuleSureStart(rule, operator) ?? start)) hits.markUnverified();
  }
  if (rule.kind === 'authorisation') {
    if (rule.effective !== undefined && T < rule.effective) return;
    if (rule.effectiveLatest !== undefined && T < rule.effectiveLatest) hits.markUnverified();
  }
  const scope = ruleScope(prepared, pack, rule);
  if (rule.kind === 'authorisation' && scope.allVendors) {
    // Every vendor: one pass over the columns, no candidate list.
    visitEveryVendorAuthorisation(prepared, scope, rule, T, hits);
    hits.flush(sink);
    return;
  }
  const source = rule.kind === 'no_event' ? 'events' : 'domains';
  visitRule(prepared, scope, rule, T, hits, gatherCandidates(prepared, scope, source), false);
  if (rule.matchComponents)
    visitRule(
      prepared,
      scope,
      rule,
      T,
      hits,
      gatherCandidates(prepared, scope, 'components'),
      true,
    );
  hits.flush(sink);
}

/** The domain code of item i on `day`: its fixed domain, or from its domain history. */
function domainAt(prepared: PreparedInventory, i: number, day: Day): number {
  const slot = prepared.slot[i] ?? NO_DOMAIN_SLOT;
  if (slot < NO_DOMAIN_SLOT) return slot;
  return slot === MOVING_SLOT ? domainOn(prepared.items[i] as InventoryItem, day) : NO_DOMAIN;
}

/**
 * Fires the rule for each of the `count` gathered candidates it applies to. One function per
 * rule kind, each one loop: a function holding every kind's loop grows past what V8 optimises
 * well, and each kind's loop then stays monomorphic.
 */
function visitRule(
  prepared: PreparedInventory,
  scope: RuleScope,
  rule: CompiledRule,
  T: Day,
  hits: RuleHits,
  count: number,
  review: boolean,
): void {
  switch (rule.kind) {
    case 'exclude':
    case 'remove':
      visitState(prepared, scope, rule, T, hits, count, review);
      return;
    case 'authorisation':
      visitAuthorisation(prepared, scope, rule, T, hits, count, review);
      return;
    case 'no_new_install':
      visitInstall(prepared, scope, rule, T, hits, count, review);
      return;
    case 'no_new_procurement':
      visitProcurement(prepared, scope, rule, T, hits, count, review);
      return;
    case 'no_event':
      visitEvents(prepared, scope, rule, T, hits, count, review);
      return;
    case 'cap':
    case 'diversity':
      return;
  }
}

/** State rules: items in service and in scope on T. */
function visitState(
  prepared: PreparedInventory,
  scope: RuleScope,
  rule: CompiledRule,
  T: Day,
  hits: RuleHits,
  count: number,
  review: boolean,
): void {
  const { candidates, via } = prepared.scratch();
  const { installed, removed } = prepared;
  const mask = scope.domainMask;
  const entities = scope.entities;
  for (let k = 0; k < count; k += 1) {
    const i = candidates[k] ?? 0;
    if (!((installed[i] ?? 0) <= T && T < (removed[i] ?? 0))) continue;
    if (mask[domainAt(prepared, i, T)] !== 1) continue;
    const entity = entities[via[k] ?? 0];
    if (entity !== undefined && itemInScope(prepared, scope, entity, i))
      hits.fire(i, false, review);
  }
}

/** Authorisation rules: items in service and in scope on T that hold none in force. */
function visitAuthorisation(
  prepared: PreparedInventory,
  scope: RuleScope,
  rule: CompiledRule,
  T: Day,
  hits: RuleHits,
  count: number,
  review: boolean,
): void {
  const { candidates, via } = prepared.scratch();
  const { installed, removed } = prepared;
  const mask = scope.domainMask;
  const entities = scope.entities;
  const schemes = rule.schemes ?? new Set<string>();
  for (let k = 0; k < count; k += 1) {
    const i = candidates[k] ?? 0;
    if (!((installed[i] ?? 0) <= T && T < (removed[i] ?? 0))) continue;
    if (mask[domainAt(prepared, i, T)] !== 1) continue;
    const entity = entities[via[k] ?? 0];
    if (entity === undefined || !itemInScope(prepared, scope, entity, i)) continue;
    // Nearly every item holds no authorisation at all: no search then.
    const held = (prepared.items[i] as InventoryItem).authorisations;
    if (held.length === 0 || !holdsOne(held, schemes, T)) hits.fire(i, false, review);
  }
}

/** No new installation: the first scope entry inside the window. */
function visitInstall(
  prepared: PreparedInventory,
  scope: RuleScope,
  rule: CompiledRule,
  T: Day,
  hits: RuleHits,
  count: number,
  review: boolean,
): void {
  const { candidates, via } = prepared.scratch();
  const { installed, slot } = prepared;
  const mask = scope.domainMask;
  const entities = scope.entities;
  const accept = (e: Day): boolean => e <= T && eventOpens(rule, e);
  for (let k = 0; k < count; k += 1) {
    const i = candidates[k] ?? 0;
    let entry: Day | undefined;
    if (slot[i] === MOVING_SLOT) {
      entry = firstScopeEntry(rule, prepared.items[i] as InventoryItem, accept);
    } else {
      // A fixed domain: the only scope entry is the install day.
      const day = installed[i] ?? DAY_UNKNOWN;
      if (day !== DAY_UNKNOWN && mask[domainAt(prepared, i, day)] === 1 && accept(day)) entry = day;
    }
    if (entry === undefined) continue;
    const entity = entities[via[k] ?? 0];
    if (entity !== undefined && itemInScope(prepared, scope, entity, i))
      hits.fire(i, !eventSurelyOpens(rule, entry), review);
  }
}

/** No new procurement: the purchase day inside the window. */
function visitProcurement(
  prepared: PreparedInventory,
  scope: RuleScope,
  rule: CompiledRule,
  T: Day,
  hits: RuleHits,
  count: number,
  review: boolean,
): void {
  const { candidates, via } = prepared.scratch();
  const { procured } = prepared;
  const mask = scope.domainMask;
  const entities = scope.entities;
  for (let k = 0; k < count; k += 1) {
    const i = candidates[k] ?? 0;
    const bought = procured[i] ?? DAY_UNKNOWN;
    if (bought === DAY_UNKNOWN || bought > T || !eventOpens(rule, bought)) continue;
    if (mask[procurementDomain(prepared, i, bought)] !== 1) continue;
    const entity = entities[via[k] ?? 0];
    if (entity !== undefined && itemInScope(prepared, scope, entity, i))
      hits.fire(i, !eventSurelyOpens(rule, bought), review);
  }
}

/** No event: an event of the type inside the window. */
function visitEvents(
  prepared: PreparedInventory,
  scope: RuleScope,
  rule: CompiledRule,
  T: Day,
  hits: RuleHits,
  count: number,
  review: boolean,
): void {
  const { candidates, via } = prepared.scratch();
  const mask = scope.domainMask;
  const entities = scope.entities;
  for (let k = 0; k < count; k += 1) {
    const i = candidates[k] ?? 0;
    const entity = entities[via[k] ?? 0];
    if (entity === undefined) continue;
    const item = prepared.items[i] as InventoryItem;
    const offset = (entity.entity.listedOn ?? Infinity) + (rule.fromOffsetDays ?? 0);
    const from = rule.from ?? offset;
    const sureFrom = rule.fromLatest ?? rule.from ?? offset;
    // An event on or after the lenient start decides for sure; one between the two readings
    // of the start decides only on the strict one.
    let found = 0;
    for (const e of item.events) {
      if (e.type !== rule.eventType || e.date < from || e.date > T) continue;
      if (rule.domainsExplicit && mask[domainOn(item, e.date)] !== 1) continue;
      found = e.date >= sureFrom ? 2 : Math.max(found, 1);
      if (found === 2) break;
    }
    if (found > 0 && itemInScope(prepared, scope, entity, i)) hits.fire(i, found === 1, review);
  }
}

/** An all_vendors authorisation rule: every item of the rule's domains, in one pass. */
function visitEveryVendorAuthorisation(
  prepared: PreparedInventory,
  scope: RuleScope,
  rule: CompiledRule,
  T: Day,
  hits: RuleHits,
): void {
  const { installed, removed, slot, kindBit, technologyBits, items } = prepared;
  const schemes = rule.schemes ?? new Set<string>();
  const mask = scope.domainMask;
  const anyVendor = scope.entities[0];
  const kinds = anyVendor?.kinds ?? 0;
  const technology = scope.technology;
  const where = scope.where;
  for (let i = 0; i < prepared.size; i += 1) {
    const s = slot[i] ?? NO_DOMAIN_SLOT;
    if (mask[s] !== 1 && s !== MOVING_SLOT) continue;
    if (!((installed[i] ?? 0) <= T && T < (removed[i] ?? 0))) continue;
    if (((kindBit[i] ?? 0) & kinds) === 0) continue;
    if (technology !== undefined && ((technologyBits[i] ?? 0) & technology) === 0) continue;
    if (s === MOVING_SLOT && mask[domainOn(items[i] as InventoryItem, T)] !== 1) continue;
    if (where !== undefined && !where(i)) continue;
    const held = (items[i] as InventoryItem).authorisations;
    if (held.length === 0 || !holdsOne(held, schemes, T)) hits.fire(i, false, false);
  }
}

/** Whether one of `held` is of one of `schemes` and in force on `day`. */
function holdsOne(held: readonly Authorisation[], schemes: ReadonlySet<string>, day: Day): boolean {
  for (const a of held) if (schemes.has(a.scheme) && authorisationValid(a, day)) return true;
  return false;
}

/** The domain an item was bought for: its domain that day, else the first it is recorded in. */
function procurementDomain(prepared: PreparedInventory, i: number, day: Day): number {
  const code = domainAt(prepared, i, day);
  if (code !== NO_DOMAIN) return code;
  const first = (prepared.items[i] as InventoryItem).domains[0];
  return first === undefined ? NO_DOMAIN : domainCode(first.domain);
}

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
function evaluateShareRule(
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
