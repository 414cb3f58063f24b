/**
 * Item ids by inventory index, read once per prepared inventory. Findings list ids; a national
 * inventory's rules list millions of them, and reading each from its item object costs a visit to
 * that object every time, where one array of the ids costs one pass. Kept beside the prepared
 * inventory (a WeakMap), so it lives as long as the inventory and no longer.
 */
import type { InventoryItem } from '../inventory/model.js';
import type { PreparedInventory } from './prepared-inventory.js';

const cache = new WeakMap<PreparedInventory, readonly string[]>();

/** ids[i] is the id of item i. */
export function itemIds(prepared: PreparedInventory): readonly string[] {
  let ids = cache.get(prepared);
  if (ids === undefined) {
    const items = prepared.items;
    const out = new Array<string>(prepared.size);
    for (let i = 0; i < out.length; i += 1) out[i] = (items[i] as InventoryItem).id;
    ids = out;
    cache.set(prepared, ids);
  }
  return ids;
}
