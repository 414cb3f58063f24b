/**
 * Which items a rule can see, and when each item entered its scope. Shared by the evaluator and
 * the remediation plan. A rule's scope is worked out once per prepared inventory (entity
 * positions, bit masks, the buckets to visit); candidates are then gathered into a scratch array
 * in one tight loop per bucket.
 */
import { addYears, type Day } from '../inventory/day.js';
import { DOMAINS, type InventoryItem, type Operator } from '../inventory/model.js';
import { indexPredicate, type IndexPredicate } from './columns.js';
import type { CompiledPack, CompiledRule, PackEntity } from './model.js';
import {
  bucket,
  domainCode,
  entityOf,
  kindBits,
  MOVING_SLOT,
  technologyBits,
  type PreparedInventory,
} from './prepared-inventory.js';

/** An entity of a rule's scope, with the item kinds it counts for that rule. */
export interface ScopedEntity {
  readonly entity: PackEntity;
  readonly index: number;
  /** The rule's kinds narrowed by the entity's `kinds` qualifier. */
  readonly kinds: number;
  readonly purposes: ReadonlySet<string> | undefined;
}

/** A rule's scope against one prepared inventory. */
export interface RuleScope {
  /** In order of listing date: an item reached by two entities counts for the earlier one. */
  readonly entities: readonly ScopedEntity[];
  /** Per entity index: 1 when the entity is in scope. */
  readonly inScope: Uint8Array;
  /** Whether an item can be reached through two entities of the scope (a category is in it). */
  readonly overlapping: boolean;
  /** Technology bits the item must share, when the rule names technologies. */
  readonly technology: number | undefined;
  readonly where: IndexPredicate | undefined;
  /** Per domain code (and NO_DOMAIN): 1 when in the rule's domains. */
  readonly domainMask: Uint8Array;
  /** Buckets to visit: the fixed domains in scope, then the items with a domain history. */
  readonly slots: readonly number[];
  /** Every vendor is in scope (an all_vendors rule): candidates come from the domain columns. */
  readonly allVendors: boolean;
}

/** The stand-in entity of an all_vendors rule: every item reaches the rule through it. */
const ANY_VENDOR: PackEntity = { id: '*' };

/** The rule's scope, worked out once per prepared inventory and rule. */
export function ruleScope(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
): RuleScope {
  let byRule = scopes.get(prepared);
  if (byRule === undefined) {
    byRule = new WeakMap();
    scopes.set(prepared, byRule);
  }
  let scope = byRule.get(rule);
  if (scope === undefined) {
    scope = buildScope(prepared, pack, rule);
    byRule.set(rule, scope);
  }
  return scope;
}

const scopes = new WeakMap<PreparedInventory, WeakMap<CompiledRule, RuleScope>>();

function buildScope(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
): RuleScope {
  const ruleKinds = kindBits(rule.kinds);
  const entities: ScopedEntity[] = rule.allVendors
    ? [{ entity: ANY_VENDOR, index: -1, kinds: ruleKinds, purposes: undefined }]
    : rule.entities
        .map((id) => pack.entities.find((e) => e.id === id))
        .filter((e): e is PackEntity => e !== undefined)
        .sort((a, b) => (a.listedOn ?? 0) - (b.listedOn ?? 0))
        .map((entity) => ({
          entity,
          index: prepared.entityIndex.get(entity.id) ?? -1,
          kinds: entity.kinds === undefined ? ruleKinds : ruleKinds & kindBits(entity.kinds),
          purposes: entity.purposes,
        }))
        .filter((s) => s.index >= 0);
  const inScope = new Uint8Array(prepared.entityIds.length);
  for (const s of entities) inScope[s.index] = 1;
  const domainMask = new Uint8Array(256);
  for (const d of rule.domains) domainMask[domainCode(d)] = 1;
  const slots: number[] = [];
  for (let code = 0; code < DOMAINS.length; code += 1) if (domainMask[code] === 1) slots.push(code);
  slots.push(MOVING_SLOT);
  return {
    entities,
    inScope,
    overlapping: entities.length > 1 && entities.some((s) => prepared.isCategory[s.index] === 1),
    technology: rule.technology === undefined ? undefined : technologyBits(rule.technology),
    where: indexPredicate(prepared, rule.where),
    domainMask,
    slots,
    allVendors: rule.allVendors,
  };
}

/** Item-level filters every rule kind shares: kind, entity qualifiers, technology, where. */
export function itemInScope(
  prepared: PreparedInventory,
  scope: RuleScope,
  entity: ScopedEntity,
  index: number,
): boolean {
  if (((prepared.kindBit[index] ?? 0) & entity.kinds) === 0) return false;
  if (entity.purposes !== undefined) {
    const purpose = (prepared.items[index] as InventoryItem).purpose;
    if (purpose === undefined || !entity.purposes.has(purpose)) return false;
  }
  if (
    scope.technology !== undefined &&
    ((prepared.technologyBits[index] ?? 0) & scope.technology) === 0
  )
    return false;
  return scope.where === undefined || scope.where(index);
}

/** Where a pass finds its candidates. */
export type CandidateSource = 'domains' | 'events' | 'components';

/**
 * Gathers each item a rule reaches through its entities once into the scratch `candidates`
 * array, with the scope position of the entity it was first reached by (for offsets from
 * `listed_on`, the earliest-listed one) in `via`; returns how many. `domains`: the items in the
 * rule's domains (or with a domain history); `events`: the items that carry events;
 * `components`: the items reached through a component's vendor but not through their own.
 */
export function gatherCandidates(
  prepared: PreparedInventory,
  scope: RuleScope,
  source: CandidateSource,
): number {
  const { candidates, via, marks } = prepared.scratch();
  if (scope.allVendors) return gatherDomains(prepared, scope, candidates, via);
  const dedupe = source === 'components' || scope.overlapping;
  const mark = dedupe ? prepared.scratch().nextMark() : 0;
  let count = 0;
  const take = (list: Int32Array, position: number): void => {
    for (let k = 0; k < list.length; k += 1) {
      const i = list[k] ?? 0;
      if (dedupe) {
        if (marks[i] === mark) continue;
        marks[i] = mark;
        if (source === 'components' && scope.inScope[entityOf(prepared, i)] === 1) continue;
      }
      candidates[count] = i;
      via[count] = position;
      count += 1;
    }
  };
  scope.entities.forEach((s, position) => {
    if (source === 'domains') {
      for (const slot of scope.slots) take(bucket(prepared.byEntity, s.index, slot), position);
    } else if (source === 'events') {
      take(prepared.eventsByEntity[s.index] ?? new Int32Array(0), position);
    } else {
      take(prepared.componentByEntity[s.index] ?? new Int32Array(0), position);
    }
  });
  return count;
}

/**
 * An all_vendors rule's candidates: every item whose fixed domain is in scope, and every item
 * with a domain history (checked per day later), in one pass over the slot column.
 */
function gatherDomains(
  prepared: PreparedInventory,
  scope: RuleScope,
  candidates: Int32Array,
  via: Uint16Array,
): number {
  const { slot } = prepared;
  const mask = scope.domainMask;
  let count = 0;
  for (let i = 0; i < prepared.size; i += 1) {
    const s = slot[i] ?? MOVING_SLOT;
    if (mask[s] !== 1 && s !== MOVING_SLOT) continue;
    candidates[count] = i;
    via[count] = 0;
    count += 1;
  }
  return count;
}

/** Whether the rule's operator conditions hold for this operator. */
export function operatorInScope(rule: CompiledRule, operator: Operator): boolean {
  return rule.where.operator === undefined || rule.where.operator(operator);
}

/** reimbursement.deadline := max(initial disbursement + 1 calendar year, every extension). */
export function reimbursementDeadline(operator: Operator): Day | undefined {
  const r = operator.reimbursement;
  if (r?.initialDisbursement === undefined) return undefined;
  return Math.max(addYears(r.initialDisbursement, 1), ...r.extensions);
}

/**
 * The last day a state rule (exclude/remove) allows an in-scope item in service, and the first
 * day it fires: `by: D` fires from D+1 (the deadline day is compliant), `effective: D` from D.
 * Undefined when the rule has no date that applies (a disabled proposal, no reimbursement).
 */
export function stateRuleStart(rule: CompiledRule, operator: Operator): Day | undefined {
  let start: Day | undefined;
  if (rule.effective !== undefined) start = rule.effective;
  const by = rule.byOperatorField === undefined ? rule.by : reimbursementDeadline(operator);
  if (rule.byOperatorField !== undefined && by === undefined) return undefined;
  if (by !== undefined) start = Math.max(start ?? -Infinity, by + 1);
  return start;
}

/**
 * The first day a state rule fires on the lenient reading of its uncertain dates (`byLatest`,
 * `effectiveLatest`): a finding decided before it is unverified. Equals stateRuleStart when every
 * date is certain.
 */
export function stateRuleSureStart(rule: CompiledRule, operator: Operator): Day | undefined {
  const start = stateRuleStart(rule, operator);
  if (start === undefined) return undefined;
  let sure = start;
  if (rule.effectiveLatest !== undefined) sure = Math.max(sure, rule.effectiveLatest);
  if (rule.byLatest !== undefined && rule.byOperatorField === undefined)
    sure = Math.max(sure, rule.byLatest + 1);
  return sure;
}

/** Whether an event on `day` is inside an event rule's window: e > after, or e >= from. */
export function eventOpens(rule: CompiledRule, day: Day): boolean {
  return rule.after !== undefined ? day > rule.after : rule.from !== undefined && day >= rule.from;
}

/** Whether an event inside the window is also inside it on the lenient reading of its dates. */
export function eventSurelyOpens(rule: CompiledRule, day: Day): boolean {
  if (rule.after !== undefined) return day > (rule.afterLatest ?? rule.after);
  return rule.from !== undefined && day >= (rule.fromLatest ?? rule.from);
}

/**
 * The first day on which an item entered the rule's domains and that `accept`s: its install day
 * if its domain that day is in scope, then every later move from out of scope into scope (a
 * spare moved into live service is an install). Policy reference, RULE KINDS, no_new_install.
 * No list is built: this runs once per candidate item with a domain history.
 */
export function firstScopeEntry(
  rule: CompiledRule,
  item: InventoryItem,
  accept: (day: Day) => boolean,
): Day | undefined {
  const spans = item.domains;
  let installed = item.installed;
  if (installed === undefined) {
    for (const span of spans) {
      if (Number.isFinite(span.from)) {
        installed = span.from;
        break;
      }
    }
  }
  if (installed === undefined) return undefined;
  let previous: InventoryItem['domains'][number]['domain'] | undefined;
  let k = 0;
  for (; k < spans.length && (spans[k]?.from ?? Infinity) <= installed; k += 1)
    previous = spans[k]?.domain;
  if (previous !== undefined && rule.domains.has(previous) && accept(installed)) return installed;
  for (; k < spans.length; k += 1) {
    const span = spans[k];
    if (span === undefined || (item.removed !== undefined && span.from >= item.removed)) break;
    const wasInScope = previous !== undefined && rule.domains.has(previous);
    if (!wasInScope && rule.domains.has(span.domain) && accept(span.from)) return span.from;
    previous = span.domain;
  }
  return undefined;
}
