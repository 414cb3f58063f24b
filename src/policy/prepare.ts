/**
 * Work done once per inventory, shared by every pack and every date: each distinct recorded
 * vendor name is resolved once, items are indexed by the entity they belong to, and the state
 * of every item on a given day (active? in which domain?) is computed once per day.
 */
import type { Day } from '../inventory/day.js';
import {
  DOMAINS,
  type Domain,
  type Inventory,
  type InventoryItem,
  type Site,
} from '../inventory/model.js';
import { normaliseVendorName, VendorResolver, type VendorMatch } from '../inventory/vendor.js';
import { identitiesOf } from './registry.js';
import type { RegistryInput } from './schema.js';
import { compileWhere, type ItemPredicate } from './where.js';

const MAX_CACHED_DAYS = 4;

/** No domain on that day (before the first span of a domain history). */
export const NO_DOMAIN = 255;
const DOMAIN_CODE = new Map<Domain, number>(DOMAINS.map((d, i) => [d, i]));

/** Domain code of a domain (its index in DOMAINS). */
export function domainCode(domain: Domain): number {
  return DOMAIN_CODE.get(domain) ?? NO_DOMAIN;
}

/** How a component of an item matched an entity. */
export interface ComponentHit {
  readonly entity: number;
  readonly vendor: string;
  readonly match: VendorMatch;
}

/** The items' state on one day. */
export interface DayView {
  readonly day: Day;
  /** 1 when the item is in service that day. */
  readonly active: Uint8Array;
  /** Domain code that day, or NO_DOMAIN. */
  readonly domain: Uint8Array;
  /** Active items by domain code, in inventory order (built on first use). */
  byDomain(code: number): readonly number[];
}

export interface PreparedInventory {
  readonly inventory: Inventory;
  readonly items: readonly InventoryItem[];
  readonly entityIds: readonly string[];
  readonly entityIndex: ReadonlyMap<string, number>;
  /** The name match of each item's vendor (shared objects: one per distinct recorded name). */
  readonly matchOf: readonly (VendorMatch | undefined)[];
  /** Entity index of each item's vendor, or -1. */
  readonly itemEntity: Int32Array;
  /** Items of each entity (by name, or by a category's item-field match). */
  readonly byEntity: readonly (readonly number[])[];
  /** Items whose components include each entity (for `review` findings). */
  readonly componentByEntity: readonly (readonly number[])[];
  readonly componentHits: ReadonlyMap<number, readonly ComponentHit[]>;
  /** Vendor identity for diversity and shares: entity id, known vendor id, or normalised name. */
  readonly vendorKey: readonly string[];
  /** Site index per item (-1 when none). */
  readonly siteIndex: Int32Array;
  readonly siteCount: number;
  /** The site of each item, when the inventory knows it. */
  readonly siteOfItem: readonly (Site | undefined)[];
  dayView(day: Day): DayView;
  /**
   * A fresh mark for "seen in this pass": `marks[i] === mark` means item i was seen. Saves a
   * Set of a million entries per rule.
   */
  nextMark(): { readonly marks: Uint32Array; readonly mark: number };
  /** Item indices in ascending order of item id. */
  sortByItemId(indices: readonly number[]): number[];
}

/** Resolves and indexes an inventory against a registry. */
export function prepareInventory(inventory: Inventory, registry: RegistryInput): PreparedInventory {
  const items = inventory.items;
  const n = items.length;
  const entityIds = Object.keys(registry.entities);
  const entityIndex = new Map(entityIds.map((id, i) => [id, i]));
  const resolver = new VendorResolver(identitiesOf(registry));
  const categories: { entity: number; test: ItemPredicate }[] = [];
  for (const [id, entity] of Object.entries(registry.entities)) {
    if (entity.match === undefined) continue;
    const test = compileWhere(entity.match, []).item;
    if (test !== undefined) categories.push({ entity: entityIndex.get(id) ?? -1, test });
  }

  const siteIds = [...inventory.sites.keys()];
  const siteNumber = new Map(siteIds.map((id, i) => [id, i]));
  const siteIndex = new Int32Array(n);
  const siteOfItem: (Site | undefined)[] = new Array<Site | undefined>(n);
  const matchOf: (VendorMatch | undefined)[] = new Array<VendorMatch | undefined>(n);
  const itemEntity = new Int32Array(n);
  const byEntity: number[][] = entityIds.map(() => []);
  const componentByEntity: number[][] = entityIds.map(() => []);
  const componentHits = new Map<number, ComponentHit[]>();
  const vendorKey: string[] = new Array<string>(n);
  const keyMemo = new Map<string, string>();

  for (let i = 0; i < n; i += 1) {
    const item = items[i] as InventoryItem;
    siteIndex[i] = item.site === undefined ? -1 : (siteNumber.get(item.site) ?? -1);
    const site = item.site === undefined ? undefined : inventory.sites.get(item.site);
    siteOfItem[i] = site;
    const match = resolver.resolve(item.vendor);
    matchOf[i] = match;
    const affiliated = match !== undefined && match.role !== 'not-affiliated';
    const entity = affiliated ? (entityIndex.get(match.identity) ?? -1) : -1;
    itemEntity[i] = entity;
    if (entity >= 0) byEntity[entity]?.push(i);
    let key = keyMemo.get(item.vendor);
    if (key === undefined) {
      key = affiliated ? match.identity : normaliseVendorName(item.vendor) || item.vendor;
      keyMemo.set(item.vendor, key);
    }
    vendorKey[i] = key;
    for (const category of categories) {
      if (category.entity >= 0 && category.entity !== entity && category.test(item, site)) {
        byEntity[category.entity]?.push(i);
      }
    }
    if (item.components.length > 0) {
      const hits: ComponentHit[] = [];
      for (const component of item.components) {
        const m = resolver.resolve(component.vendor);
        if (m === undefined || m.role === 'not-affiliated') continue;
        const e = entityIndex.get(m.identity);
        if (e === undefined || hits.some((h) => h.entity === e)) continue;
        hits.push({ entity: e, vendor: component.vendor, match: m });
        componentByEntity[e]?.push(i);
      }
      if (hits.length > 0) componentHits.set(i, hits);
    }
  }

  const views = new Map<Day, DayView>();
  const marks = new Uint32Array(n);
  let mark = 0;
  let order: { rank: Uint32Array; byRank: Uint32Array } | undefined;
  return {
    inventory,
    items,
    entityIds,
    entityIndex,
    matchOf,
    itemEntity,
    byEntity,
    componentByEntity,
    componentHits,
    vendorKey,
    siteIndex,
    siteCount: siteIds.length,
    siteOfItem,
    nextMark() {
      mark += 1;
      return { marks, mark };
    },
    sortByItemId(indices) {
      order ??= rankById(items);
      const { rank, byRank } = order;
      const keyed = Uint32Array.from(indices, (i) => rank[i] ?? 0).sort();
      const out = new Array<number>(keyed.length);
      for (let k = 0; k < keyed.length; k += 1) out[k] = byRank[keyed[k] ?? 0] ?? 0;
      return out;
    },
    dayView(day) {
      let view = views.get(day);
      if (view === undefined) {
        // A few days are kept (a check, a plan's deadlines); each costs 2 bytes per item.
        if (views.size >= MAX_CACHED_DAYS) views.delete(views.keys().next().value ?? day);
        view = buildDayView(items, day);
        views.set(day, view);
      }
      return view;
    },
  };
}

/**
 * rank[i] = position of item i in id order. Inventories are usually already sorted by id, so
 * one linear check often saves the sort of a million strings.
 */
function rankById(items: readonly InventoryItem[]): { rank: Uint32Array; byRank: Uint32Array } {
  const n = items.length;
  const rank = new Uint32Array(n);
  let sorted = true;
  for (let i = 1; i < n && sorted; i += 1) {
    if ((items[i - 1] as InventoryItem).id >= (items[i] as InventoryItem).id) sorted = false;
  }
  if (sorted) {
    for (let i = 0; i < n; i += 1) rank[i] = i;
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const x = (items[a] as InventoryItem).id;
      const y = (items[b] as InventoryItem).id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    order.forEach((index, position) => (rank[index] = position));
  }
  const byRank = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) byRank[rank[i] ?? 0] = i;
  return { rank, byRank };
}

function buildDayView(items: readonly InventoryItem[], day: Day): DayView {
  const n = items.length;
  const active = new Uint8Array(n);
  const domain = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    const item = items[i] as InventoryItem;
    active[i] =
      (item.installed === undefined || item.installed <= day) &&
      (item.removed === undefined || day < item.removed)
        ? 1
        : 0;
    let code = NO_DOMAIN;
    for (const span of item.domains) {
      if (span.from > day) break;
      code = DOMAIN_CODE.get(span.domain) ?? NO_DOMAIN;
    }
    domain[i] = code;
  }
  let lists: number[][] | undefined;
  return {
    day,
    active,
    domain,
    byDomain(code) {
      if (lists === undefined) {
        const built: number[][] = DOMAINS.map(() => []);
        for (let i = 0; i < n; i += 1) {
          const c = domain[i] ?? NO_DOMAIN;
          if (active[i] === 1 && c !== NO_DOMAIN) built[c]?.push(i);
        }
        lists = built;
      }
      return lists[code] ?? [];
    },
  };
}
