/**
 * `where` tests evaluated on a prepared inventory's columns. A rule's filter or an exemption runs
 * once per candidate item; reading a prepared column instead of the item object keeps a pass
 * over a million items inside a few dense arrays. Fields without a column read the item as
 * where.ts does, so a test gives the same answer either way.
 */
import { ITEM_KINDS, type InventoryItem } from '../inventory/model.js';
import {
  DAY_NEVER,
  DAY_UNKNOWN,
  FLAG_NO_USER_DATA,
  FLAG_SANCTIONS,
  FLAG_SENSITIVE_SITE,
  siteOf,
  type PreparedInventory,
} from './prepared-inventory.js';
import { ITEM_FIELDS, type CompiledWhere, type FieldTest, type Value } from './where.js';

/** A test on item i of a prepared inventory. */
export type IndexPredicate = (index: number) => boolean;

type Column = (prepared: PreparedInventory, index: number) => Value;

const day = (value: number): number | undefined =>
  value === DAY_UNKNOWN || value === DAY_NEVER ? undefined : value;

const COLUMNS: Readonly<Record<string, Column>> = {
  'item.kind': (p, i) => ITEM_KINDS[31 - Math.clz32(p.kindBit[i] ?? 0)],
  'item.procured': (p, i) => day(p.procured[i] ?? DAY_UNKNOWN),
  'item.installed': (p, i) => day(p.installed[i] ?? DAY_UNKNOWN),
  'item.removed': (p, i) => day(p.removed[i] ?? DAY_NEVER),
  // item.obtained := procured, else installed (policy reference, `where`).
  'item.obtained': (p, i) =>
    day(p.procured[i] ?? DAY_UNKNOWN) ?? day(p.installed[i] ?? DAY_UNKNOWN),
  'item.can_route_or_view_user_data': (p, i) => ((p.flags[i] ?? 0) & FLAG_NO_USER_DATA) === 0,
  'item.sanctions_affected': (p, i) => ((p.flags[i] ?? 0) & FLAG_SANCTIONS) !== 0,
  'site.sensitive': (p, i) => ((p.flags[i] ?? 0) & FLAG_SENSITIVE_SITE) !== 0,
};

/**
 * A date bound on a day column as one comparison (an unknown day never satisfies a bound). Rules
 * such as "obtained on or after 22 Mar 2022" run it on every candidate: a closure of its own keeps
 * the call site from going through the generic read-then-test pair.
 */
function dayBound(
  prepared: PreparedInventory,
  key: string,
  bound: NonNullable<FieldTest['bound']>,
): IndexPredicate | undefined {
  const { installed, procured, removed } = prepared;
  const d = bound.day;
  const gte = bound.op === 'gte';
  switch (key) {
    case 'item.installed':
      return gte
        ? (i) => {
            const v = installed[i] ?? DAY_UNKNOWN;
            return v !== DAY_UNKNOWN && v >= d;
          }
        : (i) => {
            const v = installed[i] ?? DAY_UNKNOWN;
            return v !== DAY_UNKNOWN && v <= d;
          };
    case 'item.procured':
      return gte
        ? (i) => {
            const v = procured[i] ?? DAY_UNKNOWN;
            return v !== DAY_UNKNOWN && v >= d;
          }
        : (i) => {
            const v = procured[i] ?? DAY_UNKNOWN;
            return v !== DAY_UNKNOWN && v <= d;
          };
    case 'item.removed':
      return gte
        ? (i) => {
            const v = removed[i] ?? DAY_NEVER;
            return v !== DAY_NEVER && v >= d;
          }
        : (i) => {
            const v = removed[i] ?? DAY_NEVER;
            return v !== DAY_NEVER && v <= d;
          };
    case 'item.obtained':
      // item.obtained := procured, else installed (policy reference, `where`).
      return (i) => {
        let v = procured[i] ?? DAY_UNKNOWN;
        if (v === DAY_UNKNOWN) v = installed[i] ?? DAY_UNKNOWN;
        return v !== DAY_UNKNOWN && (gte ? v >= d : v <= d);
      };
    default:
      return undefined;
  }
}

/** The item tests of `where` as one predicate on item indices (undefined: no item test). */
export function indexPredicate(
  prepared: PreparedInventory,
  where: CompiledWhere,
): IndexPredicate | undefined {
  const [only] = where.itemTests;
  if (where.itemTests.length === 1 && only?.bound !== undefined) {
    const direct = dayBound(prepared, only.key, only.bound);
    if (direct !== undefined) return direct;
  }
  const tests = where.itemTests.map(({ key, test }) => {
    const column = COLUMNS[key];
    const field = ITEM_FIELDS[key];
    const read: (index: number) => Value =
      column !== undefined
        ? (i) => column(prepared, i)
        : (i) => field?.get(prepared.items[i] as InventoryItem, siteOf(prepared, i));
    return { read, test };
  });
  const [a, b] = tests;
  if (a === undefined) return undefined;
  if (b === undefined) return (i) => a.test(a.read(i));
  return (i) => {
    for (const t of tests) if (!t.test(t.read(i))) return false;
    return true;
  };
}
