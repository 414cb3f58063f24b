/**
 * Work done once per inventory, shared by every pack, rule and date (the prepared inventory's
 * shape is in ../prepared-inventory.ts). One pass over the items runs each step on an item while
 * it is at hand: its recorded vendor name resolved once per distinct name (vendor-names.ts), the
 * fields rules test copied into typed columns (item-columns.ts), the entities it counts for
 * (entity-membership.ts) and those of its components (component-hits.ts). A second pass lays the
 * items out in buckets by entity and domain, so that a rule visits only the items of its entities
 * in its domains, in a few sequential passes over integer arrays.
 */
import type { Inventory, InventoryItem } from '../../inventory/model.js';
import { VendorResolver } from '../../inventory/vendor.js';
import type { PreparedInventory, Scratch } from '../prepared-inventory.js';
import { identitiesOf } from '../registry.js';
import type { RegistryInput } from '../schema.js';
import { ComponentHits } from './component-hits.js';
import { EntityMembership } from './entity-membership.js';
import { entityTable } from './entity-table.js';
import { ItemColumns } from './item-columns.js';
import { rankById } from './rank-by-id.js';
import { newScratch } from './scratch.js';
import { VendorNames } from './vendor-names.js';

/** Resolves and indexes an inventory against a registry. */
export function prepareInventory(inventory: Inventory, registry: RegistryInput): PreparedInventory {
  const items = inventory.items;
  const n = items.length;
  const entities = entityTable(registry);
  const resolver = new VendorResolver(identitiesOf(registry));
  const names = new VendorNames(resolver, entities.index);
  const columns = new ItemColumns(n);
  const membership = new EntityMembership(entities);
  const components = new ComponentHits(resolver, entities);
  const sites = [...inventory.sites.values()];
  const siteNumber = new Map([...inventory.sites.keys()].map((id, i) => [id, i]));

  let sortedById = true;
  let previousId = '';
  for (let i = 0; i < n; i += 1) {
    const item = items[i] as InventoryItem;
    // Inventories are usually sorted by id: then ranks are indices and sorting ids is free.
    if (i > 0 && previousId >= item.id) sortedById = false;
    previousId = item.id;
    const s = item.site === undefined ? -1 : (siteNumber.get(item.site) ?? -1);
    const site = s < 0 ? undefined : sites[s];
    const name = names.codeOf(item.vendor);
    const slot = columns.set(i, item, s, site, name);
    membership.add(i, item, site, names.entityOf(name), slot);
    components.add(i, item);
  }

  const { nameMatch, nameEntity, nameVendor } = names.columns();
  let order: { rank: Uint32Array; byRank: Uint32Array } | undefined;
  let scratch: Scratch | undefined;
  return {
    inventory,
    items,
    size: n,
    sortedById,
    entityIds: entities.ids,
    entityIndex: entities.index,
    isCategory: entities.isCategory,
    nameCode: columns.nameCode,
    nameMatch,
    nameEntity,
    nameVendor,
    matches: names.matches,
    categoriesOf: membership.categoriesOf,
    vendorKeys: names.vendorKeys,
    kindBit: columns.kindBit,
    technologyBits: columns.technologyBits,
    installed: columns.installed,
    removed: columns.removed,
    procured: columns.procured,
    slot: columns.slot,
    flags: columns.flags,
    traffic: columns.traffic,
    premises: columns.premises,
    siteIndex: columns.siteIndex,
    siteCount: sites.length,
    sites,
    byEntity: membership.buckets(columns.nameCode, nameEntity, columns.slot),
    eventsByEntity: membership.eventsByEntity(),
    componentByEntity: components.byEntity(),
    componentHits: components.hits,
    byRank: () => (order ??= rankById(items, sortedById)).byRank,
    scratch: () => (scratch ??= newScratch(n)),
  };
}
