/**
 * The loops that fire a rule on its gathered candidates, one per rule kind (evaluate.ts picks
 * the loop; pure, no I/O). Each kind's loop stays monomorphic: a function holding every kind's
 * loop grows past what V8 optimises well.
 */
import type { Day } from '../inventory/day.js';
import { authorisationValid, type Authorisation, type InventoryItem } from '../inventory/model.js';
import { RuleHits } from './findings.js';
import type { CompiledRule } from './model.js';
import {
  domainCode,
  domainOn,
  DAY_UNKNOWN,
  MOVING_SLOT,
  NO_DOMAIN,
  NO_DOMAIN_SLOT,
  type PreparedInventory,
} from './prepared-inventory.js';
import {
  eventOpens,
  eventSurelyOpens,
  firstScopeEntry,
  itemInScope,
  type RuleScope,
} from './scope.js';

/** The domain code of item i on `day`: its fixed domain, or from its domain history. */
export function domainAt(prepared: PreparedInventory, i: number, day: Day): number {
  const slot = prepared.slot[i] ?? NO_DOMAIN_SLOT;
  if (slot < NO_DOMAIN_SLOT) return slot;
  return slot === MOVING_SLOT ? domainOn(prepared.items[i] as InventoryItem, day) : NO_DOMAIN;
}

/**
 * Fires the rule for each of the `count` gathered candidates it applies to. One function per
 * rule kind, each one loop: a function holding every kind's loop grows past what V8 optimises
 * well, and each kind's loop then stays monomorphic.
 */
export function visitRule(
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
export function visitEveryVendorAuthorisation(
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
