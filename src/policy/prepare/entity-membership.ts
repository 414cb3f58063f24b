/**
 * Which entities each item counts for -- its vendor's entity, and every category whose test it
 * passes -- counted per (entity, slot) while the items are read, then laid out as buckets in one
 * array with offsets, in inventory order, so that a rule visits only the items of its entities in
 * its domains. The entities' items that carry events are listed apart for the event rules.
 */
import type { InventoryItem, Site } from '../../inventory/model.js';
import { SLOTS, type Buckets } from '../prepared-inventory.js';
import type { CategoryTest, EntityTable } from './entity-table.js';

export class EntityMembership {
  /** The category entities an item belongs to besides its vendor's (rare: kept sparse). */
  readonly categoriesOf = new Map<number, number[]>();
  readonly #categories: readonly CategoryTest[];
  /** Items per (entity, slot) at entity * SLOTS + slot, with one spare entry at the end. */
  readonly #counts: Int32Array;
  readonly #events: number[][];

  constructor(entities: EntityTable) {
    this.#categories = entities.categories;
    this.#counts = new Int32Array(entities.ids.length * SLOTS + 1);
    this.#events = entities.ids.map(() => []);
  }

  /** Counts item i (in `slot`) for its vendor's entity (-1: none) and the categories it passes. */
  add(i: number, item: InventoryItem, site: Site | undefined, entity: number, slot: number): void {
    const counts = this.#counts;
    const hasEvents = item.events.length > 0;
    if (entity >= 0) {
      const at = entity * SLOTS + slot;
      counts[at] = (counts[at] ?? 0) + 1;
      if (hasEvents) this.#events[entity]?.push(i);
    }
    for (const category of this.#categories) {
      if (category.entity >= 0 && category.entity !== entity && category.test(item, site)) {
        const list = this.categoriesOf.get(i);
        if (list === undefined) this.categoriesOf.set(i, [category.entity]);
        else list.push(category.entity);
        const at = category.entity * SLOTS + slot;
        counts[at] = (counts[at] ?? 0) + 1;
        if (hasEvents) this.#events[category.entity]?.push(i);
      }
    }
  }

  /** Items of each entity that carry events, ascending. */
  eventsByEntity(): Int32Array[] {
    return this.#events.map((list) => Int32Array.from(list));
  }

  /**
   * Places every counted item in its buckets (a second pass, after every item was added): items
   * by their vendor's entity first, in inventory order, then by category.
   */
  buckets(nameCode: Int32Array, nameEntity: Int32Array, slot: Uint8Array): Buckets {
    const byEntity = bucketsFrom(this.#counts);
    const fill = byEntity.start.slice();
    const place = (at: number, i: number): void => {
      const k = fill[at] ?? 0;
      byEntity.items[k] = i;
      fill[at] = k + 1;
    };
    for (let i = 0; i < nameCode.length; i += 1) {
      const entity = nameEntity[nameCode[i] ?? 0] ?? -1;
      if (entity >= 0) place(entity * SLOTS + (slot[i] ?? 0), i);
    }
    for (const [i, list] of this.categoriesOf) {
      const code = slot[i] ?? 0;
      for (const entity of list) place(entity * SLOTS + code, i);
    }
    return byEntity;
  }
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
