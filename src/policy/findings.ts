/**
 * What a rule evaluation produces -- findings, measurements, exempt items -- and the collector
 * that turns the items a rule fires on into sorted findings with their vendor evidence.
 */
import type { Day } from '../inventory/day.js';
import type { InventoryItem } from '../inventory/model.js';
import type { NameRole, VendorMatch } from '../inventory/vendor.js';
import type { MeasureResult } from './cap.js';
import type { CompiledExemption, CompiledPack, CompiledRule } from './model.js';
import type { PreparedInventory } from './prepare.js';
import type { Measure, RuleStatus } from './schema.js';
import { siteOf } from './scope.js';

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

/** Where rule evaluations put their results. */
export interface Sink {
  findings: Finding[];
  measurements: Measurement[];
  exempt: ExemptItems[];
}

/** Collects the firing items of one rule, splitting off exempt ones. */
export class RuleHits {
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
