/**
 * Which items a rule can see, and when each item entered its scope. Shared by the evaluator and
 * the remediation plan.
 */
import { addYears, type Day } from '../inventory/day.js';
import { type InventoryItem, type Operator, type Site } from '../inventory/model.js';
import type { CompiledPack, CompiledRule, PackEntity } from './model.js';
import type { PreparedInventory } from './prepare.js';

/** Item-level filters every rule kind shares: kind, technology, where, entity qualifiers. */
export function itemInScope(
  rule: CompiledRule,
  entity: PackEntity,
  item: InventoryItem,
  site: Site | undefined,
): boolean {
  if (!rule.kinds.has(item.kind)) return false;
  if (entity.kinds !== undefined && !entity.kinds.has(item.kind)) return false;
  if (
    entity.purposes !== undefined &&
    (item.purpose === undefined || !entity.purposes.has(item.purpose))
  ) {
    return false;
  }
  if (rule.technology !== undefined && !overlaps(item.technology, rule.technology)) return false;
  return rule.where.item === undefined || rule.where.item(item, site);
}

/** Whether any of `values` is in `set` (a plain loop: this runs once per item per rule). */
export function overlaps<T>(values: readonly T[], set: ReadonlySet<T>): boolean {
  for (let k = 0; k < values.length; k += 1) if (set.has(values[k] as T)) return true;
  return false;
}

/**
 * Visits each item a rule reaches through its entities once, with the entity it was first
 * reached by (for offsets from `listed_on`, the earliest-listed one). With `components`, the
 * items reached through a component's vendor but not through their own vendor.
 */
export function forEachCandidate(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  components: boolean,
  visit: (index: number, entity: PackEntity) => void,
): void {
  const scope = scopeOf(prepared, pack, rule);
  const { marks, mark } = prepared.nextMark();
  const own = prepared.itemEntity;
  const inScope = new Set(scope.map((s) => s.index));
  for (const { entity, index } of scope) {
    const list = (components ? prepared.componentByEntity[index] : prepared.byEntity[index]) ?? [];
    for (let k = 0; k < list.length; k += 1) {
      const i = list[k] ?? 0;
      if (marks[i] === mark) continue;
      marks[i] = mark;
      if (components && inScope.has(own[i] ?? -1)) continue;
      visit(i, entity);
    }
  }
}

interface ScopedEntity {
  readonly entity: PackEntity;
  readonly index: number;
}

const scopes = new WeakMap<CompiledRule, ScopedEntity[]>();
function scopeOf(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
): ScopedEntity[] {
  let scope = scopes.get(rule);
  if (scope === undefined) {
    scope = rule.entities
      .map((id) => pack.entities.find((e) => e.id === id))
      .filter((e): e is PackEntity => e !== undefined)
      .sort((a, b) => (a.listedOn ?? 0) - (b.listedOn ?? 0))
      .map((entity) => ({ entity, index: prepared.entityIndex.get(entity.id) ?? -1 }))
      .filter((s) => s.index >= 0);
    scopes.set(rule, scope);
  }
  return scope;
}

/** The site of an item, if the inventory knows it. */
export function siteOf(prepared: PreparedInventory, index: number): Site | undefined {
  return prepared.siteOfItem[index];
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
  if (rule.byOffset !== undefined) return undefined;
  return start;
}

/**
 * The first day on which an item entered the rule's domains and that `accept`s: its install day
 * if its domain that day is in scope, then every later move from out of scope into scope (a
 * spare moved into live service is an install). Policy reference, RULE KINDS, no_new_install.
 * No list is built: this runs once per candidate item per installation rule.
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
