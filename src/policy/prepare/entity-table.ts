/**
 * The registry's entities, numbered for the prepared inventory's columns and buckets: an index per
 * entity id, which entities are categories (matched on item fields rather than on vendor names),
 * and each category's compiled test.
 */
import type { RegistryInput } from '../schema.js';
import { compileWhere, type ItemPredicate } from '../where.js';

/** A category entity and the test an item passes to belong to it. */
export interface CategoryTest {
  readonly entity: number;
  readonly test: ItemPredicate;
}

export interface EntityTable {
  /** Entity ids by entity index. */
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Per entity: 1 when it is a category. */
  readonly isCategory: Uint8Array;
  readonly categories: readonly CategoryTest[];
}

/** Numbers the registry's entities in their order and compiles the categories' tests. */
export function entityTable(registry: RegistryInput): EntityTable {
  const ids = Object.keys(registry.entities);
  const index = new Map(ids.map((id, i) => [id, i]));
  const isCategory = new Uint8Array(ids.length);
  const categories: CategoryTest[] = [];
  for (const [id, entity] of Object.entries(registry.entities)) {
    if (entity.match === undefined) continue;
    const at = index.get(id) ?? -1;
    isCategory[at] = 1;
    const test = compileWhere(entity.match, []).item;
    if (test !== undefined) categories.push({ entity: at, test });
  }
  return { ids, index, isCategory, categories };
}
