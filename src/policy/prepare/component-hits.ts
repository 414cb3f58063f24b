/**
 * Items whose components are made by an entity (a `review` finding when the item's own vendor is
 * not the entity), and how each component's vendor name matched it.
 */
import type { InventoryItem } from '../../inventory/model.js';
import type { VendorResolver } from '../../inventory/vendor.js';
import type { ComponentHit } from '../prepared-inventory.js';
import type { EntityTable } from './entity-table.js';

export class ComponentHits {
  /** Per item with any: its components' entities, each once, in component order. */
  readonly hits = new Map<number, ComponentHit[]>();
  readonly #resolver: VendorResolver;
  readonly #entityIndex: ReadonlyMap<string, number>;
  readonly #byEntity: number[][];

  constructor(resolver: VendorResolver, entities: EntityTable) {
    this.#resolver = resolver;
    this.#entityIndex = entities.index;
    this.#byEntity = entities.ids.map(() => []);
  }

  /** Records the entities item i's components resolve to. */
  add(i: number, item: InventoryItem): void {
    if (item.components.length === 0) return;
    const hits: ComponentHit[] = [];
    for (const component of item.components) {
      const m = this.#resolver.resolve(component.vendor);
      if (m === undefined || m.role === 'not-affiliated') continue;
      const e = this.#entityIndex.get(m.identity);
      if (e === undefined || hits.some((h) => h.entity === e)) continue;
      hits.push({ entity: e, vendor: component.vendor, match: m });
      this.#byEntity[e]?.push(i);
    }
    if (hits.length > 0) this.hits.set(i, hits);
  }

  /** Items whose components include each entity, ascending. */
  byEntity(): Int32Array[] {
    return this.#byEntity.map((list) => Int32Array.from(list));
  }
}
