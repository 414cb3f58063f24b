/**
 * What a rule evaluation produces -- findings, measurements, exempt items -- and the collector
 * that turns the items a rule fires on into sorted findings with their vendor evidence.
 */
import type { Day } from '../inventory/day.js';
import { authorisationValid, type InventoryItem, type Operator } from '../inventory/model.js';
import type { NameRole } from '../inventory/vendor.js';
import type { PendingRule } from './bind.js';
import type { MeasureResult } from './cap.js';
import type { CompiledExemption, CompiledPack, CompiledRule } from './model.js';
import type { PreparedInventory, Scratch } from './prepared-inventory.js';
import type { Measure, RuleStatus } from './schema.js';
import { indexPredicate, type IndexPredicate } from './columns.js';
import { itemIds } from './item-ids.js';

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
  readonly indices: Int32Array;
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
  /** Rules not evaluated because a parameter they count from was not assumed. */
  readonly pending: readonly PendingRule[];
  /** The parameter values the evaluation assumed (a scenario, not a known date). */
  readonly assumptions: ReadonlyMap<string, Day>;
}

/**
 * Whether an exemption applies on `day` for this operator: `sure` (it applies), `unsure` (only on
 * the lenient reading of its end date: the item stays a finding, marked unverified) or `none`.
 * An operator record with an expiry settles the end itself; one without leaves the pack's range.
 */
export function exemptionOn(
  exemption: CompiledExemption,
  operator: Operator,
  day: Day,
): 'sure' | 'unsure' | 'none' {
  if (exemption.where.operator !== undefined && !exemption.where.operator(operator)) return 'none';
  let settled = false;
  if (exemption.operatorHolds !== undefined) {
    const held = (operator.authorisations ?? []).filter(
      (a) => a.scheme === exemption.operatorHolds && authorisationValid(a, day),
    );
    if (held.length === 0) return 'none';
    settled = held.every((a) => a.expires !== undefined);
  }
  if (exemption.until === undefined) return 'sure';
  const latest = exemption.untilLatest ?? exemption.until;
  if (day > latest) return 'none';
  return day <= exemption.until || settled ? 'sure' : 'unsure';
}

/** Where rule evaluations put their results. */
export interface Sink {
  findings: Finding[];
  measurements: Measurement[];
  exempt: ExemptItems[];
}

/** Collects the firing items of one rule, splitting off exempt ones. */
export class RuleHits {
  private unverified = false;
  private touched = 0;
  private direct = 0;
  private review = 0;
  /** Per exemption of the pack (in pack order): how many items it took out. */
  private readonly exemptCounts: Int32Array;
  /** The exemptions that apply to this rule and operator on the day, with their index in the pack. */
  private readonly exemptions: readonly {
    readonly at: number;
    readonly test: IndexPredicate | undefined;
    /** Applies only on the lenient reading of its end: the item stays a finding, unverified. */
    readonly unsure: boolean;
  }[];
  private readonly scratch: Scratch;

  constructor(
    private readonly prepared: PreparedInventory,
    private readonly pack: CompiledPack,
    private readonly rule: CompiledRule,
    day: Day,
  ) {
    const operator = prepared.inventory.operator;
    this.exemptions = pack.exemptions
      .map((e, at) => ({
        e,
        at,
        on: e.rules.has(rule.id) ? exemptionOn(e, operator, day) : 'none',
      }))
      .filter(({ on }) => on !== 'none')
      .map(({ e, at, on }) => ({
        at,
        test: indexPredicate(prepared, e.where),
        unsure: on === 'unsure',
      }));
    this.exemptCounts = new Int32Array(pack.exemptions.length);
    this.scratch = prepared.scratch();
  }

  /** Marks the rule's finding unverified (decided between the two readings of a date). */
  markUnverified(): void {
    this.unverified = true;
  }

  /**
   * Records that the rule fires on item i; `unsure` when only the strict reading of an uncertain
   * date makes it fire (the finding is then unverified).
   */
  fire(index: number, unsure: boolean, review: boolean): void {
    const { state } = this.scratch;
    const before = state[index] ?? 0;
    const fresh = before === 0;
    let unsureExemption = false;
    if (this.exemptions.length > 0) {
      for (const exemption of this.exemptions) {
        if (exemption.test !== undefined && !exemption.test(index)) continue;
        if (exemption.unsure) {
          unsureExemption = true;
          continue;
        }
        if (before >>> 2 === 0) {
          state[index] = before | ((exemption.at + 1) << 2);
          this.exemptCounts[exemption.at] = (this.exemptCounts[exemption.at] ?? 0) + 1;
          if (fresh) this.touched += 1;
        }
        return;
      }
    }
    const bit = review ? 2 : 1;
    if ((before & bit) === 0) {
      state[index] = before | bit;
      if (review) this.review += 1;
      else this.direct += 1;
      if (fresh) this.touched += 1;
    }
    if (unsure || unsureExemption) this.unverified = true;
  }

  flush(sink: Sink): void {
    const { prepared, pack, rule } = this;
    const { state } = this.scratch;
    const order = this.inIdOrder();
    const direct = new Int32Array(this.direct);
    const review = new Int32Array(this.review);
    const exempted = Array.from(this.exemptCounts, (count) => new Int32Array(count));
    let d = 0;
    let r = 0;
    const e = new Int32Array(exempted.length);
    if (this.direct === order.length && this.review === 0) {
      // Every touched item fired directly (the common case): the order is the finding.
      direct.set(order);
      for (let k = 0; k < order.length; k += 1) state[order[k] ?? 0] = 0;
    } else {
      for (let k = 0; k < order.length; k += 1) {
        const i = order[k] ?? 0;
        const h = state[i] ?? 0;
        state[i] = 0;
        if ((h & 1) !== 0) direct[d++] = i;
        if ((h & 2) !== 0) review[r++] = i;
        if (h >>> 2 !== 0) {
          const at = (h >>> 2) - 1;
          const list = exempted[at];
          if (list !== undefined) list[(e[at] = (e[at] ?? 0) + 1) - 1] = i;
        }
      }
    }
    const base = { pack: pack.id, rule: rule.id, title: rule.title };
    const unverified =
      rule.unverified !== undefined || this.unverified ? { unverified: true as const } : {};
    for (const [indices, isReview] of [
      [direct, false],
      [review, true],
    ] as const) {
      if (indices.length === 0) continue;
      sink.findings.push({
        ...base,
        status: isReview ? 'review' : rule.status,
        items: idsOf(prepared, indices),
        ...unverified,
        vendors: evidence(prepared, pack, rule, indices, isReview ? 'component' : 'vendor'),
        indices,
      });
    }
    // In the pack's order of exemptions, whatever order the items were met in.
    pack.exemptions.forEach(({ id }, at) => {
      const indices = exempted[at];
      if (indices !== undefined && indices.length > 0) {
        sink.exempt.push({
          pack: pack.id,
          rule: rule.id,
          exemption: id,
          items: idsOf(prepared, indices),
        });
      }
    });
  }

  /**
   * The touched items in ascending id order: one scan of the id order over the flags. Written into the scratch candidates array, free once the rule's passes are done: a new array
   * per finding would add the size of every listing to the array buffers that trigger V8's full
   * collections of the heap.
   */
  private inIdOrder(): Int32Array {
    const { prepared } = this;
    const { state } = this.scratch;
    const count = this.touched;
    const out = this.scratch.candidates.subarray(0, count);
    if (count === 0) return out;
    let k = 0;
    if (prepared.sortedById) {
      for (let i = 0; i < prepared.size && k < count; i += 1) if (state[i] !== 0) out[k++] = i;
    } else {
      const byRank = prepared.byRank();
      for (let r = 0; r < prepared.size && k < count; r += 1) {
        const i = byRank[r] ?? 0;
        if (state[i] !== 0) out[k++] = i;
      }
    }
    return out;
  }
}

function idsOf(prepared: PreparedInventory, indices: Int32Array): string[] {
  const ids = itemIds(prepared);
  const out = new Array<string>(indices.length);
  for (let k = 0; k < indices.length; k += 1) out[k] = ids[indices[k] ?? 0] as string;
  return out;
}

/** Which recorded names matched which registry names, with counts, for the report. */
function evidence(
  prepared: PreparedInventory,
  pack: CompiledPack,
  rule: CompiledRule,
  indices: Int32Array,
  via: 'vendor' | 'component',
): VendorEvidence[] {
  if (rule.kind === 'diversity' || rule.allVendors) return [];
  const scope = new Set(rule.entities);
  const inScope = prepared.entityIds.map((id) => scope.has(id));
  const byKey = new Map<string, { e: Omit<VendorEvidence, 'items'>; items: number }>();
  const add = (e: Omit<VendorEvidence, 'items'>): void => {
    const key = `${e.recorded}\u0000${e.entity}`;
    const found = byKey.get(key);
    if (found === undefined) byKey.set(key, { e, items: 1 });
    else found.items += 1;
  };
  let categories: number[] | undefined;
  // Per distinct name match (one per registry name): items counted, and the recorded name of
  // the first item (in id order) that matched it.
  const counts = new Int32Array(prepared.matches.length);
  const firstRecorded = new Array<string | undefined>(prepared.matches.length);
  const matchOrder: number[] = [];
  for (let k = 0; k < indices.length; k += 1) {
    const i = indices[k] ?? 0;
    if (via === 'component') {
      for (const hit of prepared.componentHits.get(i) ?? []) {
        const entity = prepared.entityIds[hit.entity] ?? '';
        if (scope.has(entity))
          add({ recorded: hit.vendor, entity, role: hit.match.role, name: hit.match.name, via });
      }
      continue;
    }
    const name = prepared.nameCode[i] ?? 0;
    const m = prepared.nameMatch[name] ?? -1;
    const e = prepared.nameEntity[name] ?? -1;
    if (m >= 0 && e >= 0 && inScope[e] === true) {
      if (counts[m] === 0) {
        matchOrder.push(m);
        firstRecorded[m] = (prepared.items[i] as InventoryItem).vendor;
      }
      counts[m] = (counts[m] ?? 0) + 1;
      continue;
    }
    // Reached through a category entity, matched on item fields rather than on a name.
    categories ??= pack.entities
      .filter((entity) => scope.has(entity.id))
      .map((entity) => prepared.entityIndex.get(entity.id) ?? -1);
    const category = categories.find(
      (c) => c >= 0 && (e === c || prepared.categoriesOf.get(i)?.includes(c) === true),
    );
    if (category !== undefined) {
      const id = prepared.entityIds[category] ?? '';
      const recorded = (prepared.items[i] as InventoryItem).vendor;
      add({ recorded, entity: id, role: 'category', name: id, via });
    }
  }
  for (const m of matchOrder) {
    const match = prepared.matches[m];
    const recorded = firstRecorded[m];
    if (match === undefined || recorded === undefined) continue;
    const entity = match.identity;
    const items = counts[m] ?? 0;
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
