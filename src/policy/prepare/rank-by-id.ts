/**
 * Items in id order, for listing findings sorted by id. Inventories are usually already sorted by
 * id (the preparing pass checks), which saves the sort of a million strings.
 */
import type { InventoryItem } from '../../inventory/model.js';

/** rank[i] = position of item i in id order; byRank is its inverse. */
export function rankById(
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
