/**
 * Work done once per inventory, shared by every pack, rule and date. Each distinct recorded
 * vendor name is resolved once; the fields rules test are copied into typed columns (days as
 * integers, kinds and technologies as bit masks, traffic in integer thousandths of a GB); and
 * items are bucketed by entity and by domain, so that a rule visits only the items of its
 * entities in its domains, in a few sequential passes over integer arrays.
 */
import type { Inventory, InventoryItem, Technology } from '../../inventory/model.js';
import { normaliseVendorName, VendorResolver, type VendorMatch } from '../../inventory/vendor.js';
import { TRAFFIC_SCALE } from '../cap.js';
import { identitiesOf } from '../registry.js';
import type { RegistryInput } from '../schema.js';
import { compileWhere, type ItemPredicate } from '../where.js';
import {
  DAY_NEVER,
  DAY_UNKNOWN,
  DOMAIN_CODE,
  FLAG_NO_USER_DATA,
  FLAG_SANCTIONS,
  FLAG_SENSITIVE_SITE,
  KIND_BIT,
  MOVING_SLOT,
  NO_DOMAIN_SLOT,
  SLOTS,
  TECH_BIT,
  type Buckets,
  type ComponentHit,
  type PreparedInventory,
  type Scratch,
} from '../prepared-inventory.js';

interface VendorFacts {
  readonly code: number;
  readonly match: number;
  readonly entity: number;
  readonly vendor: number;
}

/** Resolves and indexes an inventory against a registry. */
export function prepareInventory(inventory: Inventory, registry: RegistryInput): PreparedInventory {
  const items = inventory.items;
  const n = items.length;
  const entityIds = Object.keys(registry.entities);
  const entityCount = entityIds.length;
  const entityIndex = new Map(entityIds.map((id, i) => [id, i]));
  const resolver = new VendorResolver(identitiesOf(registry));
  const isCategory = new Uint8Array(entityCount);
  const categories: { entity: number; test: ItemPredicate }[] = [];
  for (const [id, entity] of Object.entries(registry.entities)) {
    if (entity.match === undefined) continue;
    const index = entityIndex.get(id) ?? -1;
    isCategory[index] = 1;
    const test = compileWhere(entity.match, []).item;
    if (test !== undefined) categories.push({ entity: index, test });
  }

  const siteList = [...inventory.sites.values()];
  const siteNumber = new Map([...inventory.sites.keys()].map((id, i) => [id, i]));
  const siteIndex = new Int32Array(n);
  const nameCode = new Int32Array(n);
  const kindBit = new Uint8Array(n);
  const techBits = new Uint32Array(n);
  const installed = new Int32Array(n);
  const removed = new Int32Array(n);
  const procured = new Int32Array(n);
  const slot = new Uint8Array(n);
  const flags = new Uint8Array(n);
  let traffic: Int32Array | Float64Array = new Int32Array(n);
  let premises: Int32Array | Float64Array = new Int32Array(n);
  const categoriesOf = new Map<number, number[]>();
  const eventLists: number[][] = entityIds.map(() => []);
  const componentLists: number[][] = entityIds.map(() => []);
  const componentHits = new Map<number, ComponentHit[]>();
  const entityCounts = new Int32Array(entityCount * SLOTS + 1);

  // One resolution per distinct recorded name: a national inventory has a few hundred.
  const facts = new Map<string, VendorFacts>();
  const matches: VendorMatch[] = [];
  const matchNumber = new Map<VendorMatch, number>();
  const vendorKeys: string[] = [];
  const vendorNumber = new Map<string, number>();
  const factsOf = (recorded: string): VendorFacts => {
    const match = resolver.resolve(recorded);
    const affiliated = match !== undefined && match.role !== 'not-affiliated';
    let m = -1;
    if (match !== undefined) {
      m = matchNumber.get(match) ?? matches.length;
      if (m === matches.length) {
        matches.push(match);
        matchNumber.set(match, m);
      }
    }
    const key = affiliated ? match.identity : normaliseVendorName(recorded) || recorded;
    let v = vendorNumber.get(key);
    if (v === undefined) {
      v = vendorKeys.length;
      vendorKeys.push(key);
      vendorNumber.set(key, v);
    }
    const found = {
      code: facts.size,
      match: m,
      entity: affiliated ? (entityIndex.get(match.identity) ?? -1) : -1,
      vendor: v,
    };
    facts.set(recorded, found);
    return found;
  };

  let sortedById = true;
  let previousId = '';
  for (let i = 0; i < n; i += 1) {
    const item = items[i] as InventoryItem;
    const id = item.id;
    // Inventories are usually sorted by id: then ranks are indices and sorting ids is free.
    if (i > 0 && previousId >= id) sortedById = false;
    previousId = id;
    const s = item.site === undefined ? -1 : (siteNumber.get(item.site) ?? -1);
    siteIndex[i] = s;
    const site = s < 0 ? undefined : siteList[s];
    const vendor = facts.get(item.vendor) ?? factsOf(item.vendor);
    nameCode[i] = vendor.code;
    const entity = vendor.entity;
    kindBit[i] = KIND_BIT.get(item.kind) ?? 0;
    let bits = 0;
    const technology = item.technology;
    for (let t = 0; t < technology.length; t += 1)
      bits |= TECH_BIT.get(technology[t] as Technology) ?? 0;
    techBits[i] = bits;
    installed[i] = item.installed ?? DAY_UNKNOWN;
    removed[i] = item.removed ?? DAY_NEVER;
    procured[i] = item.procured ?? DAY_UNKNOWN;
    const spans = item.domains;
    const first = spans[0];
    const code =
      first === undefined
        ? NO_DOMAIN_SLOT
        : spans.length === 1 && first.from === -Infinity
          ? (DOMAIN_CODE.get(first.domain) ?? NO_DOMAIN_SLOT)
          : MOVING_SLOT;
    slot[i] = code;
    flags[i] =
      (item.canRouteOrViewUserData ? 0 : FLAG_NO_USER_DATA) |
      (item.sanctionsAffected ? FLAG_SANCTIONS : 0) |
      (site?.sensitive === true ? FLAG_SENSITIVE_SITE : 0);
    // Validated inventories fit 32 bits (schema bounds); anything else widens the column.
    const t = Math.round((item.trafficGbPerDay ?? 0) * TRAFFIC_SCALE);
    if (t !== (t | 0) && traffic instanceof Int32Array) traffic = Float64Array.from(traffic);
    traffic[i] = t;
    const p = item.premisesServed ?? 0;
    if (p !== (p | 0) && premises instanceof Int32Array) premises = Float64Array.from(premises);
    premises[i] = p;
    const hasEvents = item.events.length > 0;
    if (entity >= 0) {
      const at = entity * SLOTS + code;
      entityCounts[at] = (entityCounts[at] ?? 0) + 1;
      if (hasEvents) eventLists[entity]?.push(i);
    }
    for (const category of categories) {
      if (category.entity >= 0 && category.entity !== entity && category.test(item, site)) {
        const list = categoriesOf.get(i);
        if (list === undefined) categoriesOf.set(i, [category.entity]);
        else list.push(category.entity);
        const at = category.entity * SLOTS + code;
        entityCounts[at] = (entityCounts[at] ?? 0) + 1;
        if (hasEvents) eventLists[category.entity]?.push(i);
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
        componentLists[e]?.push(i);
      }
      if (hits.length > 0) componentHits.set(i, hits);
    }
  }

  // Second pass: place every item in its buckets, in inventory order.
  const names = [...facts.values()];
  const nameMatch = Int32Array.from(names, (f) => f.match);
  const nameEntity = Int32Array.from(names, (f) => f.entity);
  const nameVendor = Int32Array.from(names, (f) => f.vendor);
  const byEntity = bucketsFrom(entityCounts);
  const entityFill = byEntity.start.slice();
  const place = (into: Buckets, fill: Int32Array, at: number, i: number): void => {
    const k = fill[at] ?? 0;
    into.items[k] = i;
    fill[at] = k + 1;
  };
  for (let i = 0; i < n; i += 1) {
    const entity = nameEntity[nameCode[i] ?? 0] ?? -1;
    const code = slot[i] ?? 0;
    if (entity >= 0) place(byEntity, entityFill, entity * SLOTS + code, i);
  }
  for (const [i, list] of categoriesOf) {
    const code = slot[i] ?? 0;
    for (const entity of list) place(byEntity, entityFill, entity * SLOTS + code, i);
  }

  let order: { rank: Uint32Array; byRank: Uint32Array } | undefined;
  const ranks = (): { rank: Uint32Array; byRank: Uint32Array } =>
    (order ??= rankById(items, sortedById));
  let scratch: Scratch | undefined;
  return {
    inventory,
    items,
    size: n,
    sortedById,
    entityIds,
    entityIndex,
    isCategory,
    nameCode,
    nameMatch,
    nameEntity,
    nameVendor,
    matches,
    categoriesOf,
    vendorKeys,
    kindBit,
    technologyBits: techBits,
    installed,
    removed,
    procured,
    slot,
    flags,
    traffic,
    premises,
    siteIndex,
    siteCount: siteList.length,
    sites: siteList,
    byEntity,
    eventsByEntity: eventLists.map((list) => Int32Array.from(list)),
    componentByEntity: componentLists.map((list) => Int32Array.from(list)),
    componentHits,
    byRank: () => ranks().byRank,
    scratch: () => (scratch ??= newScratch(n)),
  };
}

/** Offsets from per-bucket counts (counts has one spare entry at the end). */
function bucketsFrom(counts: Int32Array): Buckets {
  const start = new Int32Array(counts.length);
  let total = 0;
  for (let k = 0; k < counts.length; k += 1) {
    start[k] = total;
    total += counts[k] ?? 0;
  }
  return { items: new Int32Array(total), start };
}

function newScratch(n: number): Scratch {
  // Small element types: V8 runs a full collection of the (large) heap once a process allocates
  // more than about 64 MB of array buffers since the last one, and a national inventory's
  // columns and scratch arrays come close.
  const marks = new Uint16Array(n);
  let mark = 0;
  return {
    candidates: new Int32Array(n),
    via: new Uint16Array(n),
    marks,
    state: new Uint16Array(n),
    nextMark() {
      mark += 1;
      if (mark === 0xffff) {
        marks.fill(0);
        mark = 1;
      }
      return mark;
    },
  };
}

/**
 * rank[i] = position of item i in id order. Inventories are usually already sorted by id (the
 * first pass checks), which saves the sort of a million strings.
 */
function rankById(
  items: readonly InventoryItem[],
  sorted: boolean,
): { rank: Uint32Array; byRank: Uint32Array } {
  const n = items.length;
  const byRank = new Uint32Array(n);
  const rank = new Uint32Array(n);
  if (sorted) {
    for (let i = 0; i < n; i += 1) byRank[i] = rank[i] = i;
    return { rank, byRank };
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = (items[a] as InventoryItem).id;
    const y = (items[b] as InventoryItem).id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  order.forEach((index, position) => {
    rank[index] = position;
    byRank[position] = index;
  });
  return { rank, byRank };
}
