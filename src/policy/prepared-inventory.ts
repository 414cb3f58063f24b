/**
 * An inventory prepared for evaluation (`prepare/prepare-inventory.ts` builds it): typed columns,
 * buckets by entity and domain, and the codes and accessors the evaluator, scopes, shares and
 * plans read it with.
 */
import type { Day } from '../inventory/day.js';
import {
  DOMAINS,
  ITEM_KINDS,
  TECHNOLOGIES,
  type Domain,
  type Inventory,
  type InventoryItem,
  type ItemKind,
  type Site,
  type Technology,
} from '../inventory/model.js';
import type { VendorMatch } from '../inventory/vendor.js';

/** No domain on that day (before the first span of a domain history). */
export const NO_DOMAIN = 255;
export const DOMAIN_CODE = new Map<Domain, number>(DOMAINS.map((d, i) => [d, i]));

/** Domain code of a domain (its index in DOMAINS). */
export function domainCode(domain: Domain): number {
  return DOMAIN_CODE.get(domain) ?? NO_DOMAIN;
}

/** Bucket of the items that have no domain at all. */
export const NO_DOMAIN_SLOT = DOMAINS.length;
/** Bucket of the items with a domain history: their domain depends on the day. */
export const MOVING_SLOT = DOMAINS.length + 1;
/** Buckets per key: every domain, no domain, and moving. */
export const SLOTS = DOMAINS.length + 2;

/** `installed`/`procured` column value of an unknown day. */
export const DAY_UNKNOWN = -2147483648;
/** `removed` column value of an item still in service. */
export const DAY_NEVER = 2147483647;

/** Bits of the `flags` column. */
export const FLAG_NO_USER_DATA = 1;
export const FLAG_SANCTIONS = 2;
export const FLAG_SENSITIVE_SITE = 4;

export const KIND_BIT = new Map<ItemKind, number>(ITEM_KINDS.map((k, i) => [k, 1 << i]));
export const TECH_BIT = new Map<Technology, number>(TECHNOLOGIES.map((t, i) => [t, 1 << i]));

/** Bit mask of item kinds (bit i: ITEM_KINDS[i]). */
export function kindBits(kinds: Iterable<ItemKind>): number {
  let bits = 0;
  for (const kind of kinds) bits |= KIND_BIT.get(kind) ?? 0;
  return bits;
}

/** Bit mask of technologies (bit i: TECHNOLOGIES[i]). */
export function technologyBits(technologies: Iterable<Technology>): number {
  let bits = 0;
  for (const t of technologies) bits |= TECH_BIT.get(t) ?? 0;
  return bits;
}

/** How a component of an item matched an entity. */
export interface ComponentHit {
  readonly entity: number;
  readonly vendor: string;
  readonly match: VendorMatch;
}

/** Item indices grouped by a key and a slot, as one array with offsets (ascending in each). */
export interface Buckets {
  readonly items: Int32Array;
  /** Items of (key, slot) are items[start[key * SLOTS + slot] .. start[key * SLOTS + slot + 1]). */
  readonly start: Int32Array;
}

/** Scratch arrays one rule evaluation uses (one evaluation at a time: the evaluator is sync). */
export interface Scratch {
  /** Candidate items of a pass, and the position in the rule's scope of the entity each came by. */
  readonly candidates: Int32Array;
  readonly via: Uint16Array;
  /** `marks[i] === mark` means item i was met in this pass. */
  readonly marks: Uint16Array;
  /**
   * Per item: bit 1 fired directly, bit 2 fired for review, and from bit 4 on 1 + the pack's
   * index of the exemption it fell under (a pack has at most 256).
   */
  readonly state: Uint16Array;
  nextMark(): number;
}

export interface PreparedInventory {
  readonly inventory: Inventory;
  readonly items: readonly InventoryItem[];
  readonly size: number;
  /** Whether the items are in ascending id order (then rank = index). */
  readonly sortedById: boolean;
  readonly entityIds: readonly string[];
  readonly entityIndex: ReadonlyMap<string, number>;
  /** Per entity: 1 when it is a category, matched on item fields rather than names. */
  readonly isCategory: Uint8Array;
  /** Per item: its recorded vendor name's number (one per distinct recorded name). */
  readonly nameCode: Int32Array;
  /** Per recorded name: its name match, an index into `matches`, or -1. */
  readonly nameMatch: Int32Array;
  /** Per recorded name: the entity index it resolved to, or -1. */
  readonly nameEntity: Int32Array;
  /** Per recorded name: its vendor identity code, an index into `vendorKeys`. */
  readonly nameVendor: Int32Array;
  /** Distinct name matches (one object per registry name). */
  readonly matches: readonly VendorMatch[];
  /** The category entities an item belongs to besides its vendor's (rare: kept sparse). */
  readonly categoriesOf: ReadonlyMap<number, readonly number[]>;
  /** Vendor identity for diversity and shares: entity id, known vendor id, or normalised name. */
  readonly vendorKeys: readonly string[];
  /** Per item: bit of its kind. */
  readonly kindBit: Uint8Array;
  /** Per item: bits of its technologies. */
  readonly technologyBits: Uint32Array;
  /** Per item: first day in service, or DAY_UNKNOWN. */
  readonly installed: Int32Array;
  /** Per item: first day out of service, or DAY_NEVER. */
  readonly removed: Int32Array;
  /** Per item: day bought, or DAY_UNKNOWN. */
  readonly procured: Int32Array;
  /** Per item: its fixed domain's code, NO_DOMAIN_SLOT, or MOVING_SLOT. */
  readonly slot: Uint8Array;
  /** Per item: FLAG_* bits (cannot route or see user data, sanctions-affected, sensitive site). */
  readonly flags: Uint8Array;
  /** Per item: traffic in thousandths of a GB per day (an integer), and premises served. */
  readonly traffic: Int32Array | Float64Array;
  readonly premises: Int32Array | Float64Array;
  /** Site index per item (-1 when none). */
  readonly siteIndex: Int32Array;
  readonly siteCount: number;
  /** The inventory's sites, by site index. */
  readonly sites: readonly Site[];
  /** Items of each entity (by name, or by a category's match) by slot. */
  readonly byEntity: Buckets;
  /** Items of each entity that carry events. */
  readonly eventsByEntity: readonly Int32Array[];
  /** Items whose components include each entity (for `review` findings). */
  readonly componentByEntity: readonly Int32Array[];
  readonly componentHits: ReadonlyMap<number, readonly ComponentHit[]>;
  /** Item indices in ascending id order (identity when sortedById). */
  byRank(): Uint32Array;
  scratch(): Scratch;
}

/** The items of (key, slot) in `buckets`. */
export function bucket(buckets: Buckets, key: number, slot: number): Int32Array {
  const at = key * SLOTS + slot;
  return buckets.items.subarray(buckets.start[at] ?? 0, buckets.start[at + 1] ?? 0);
}

/** The entity index of item i's vendor, or -1. */
export function entityOf(prepared: PreparedInventory, i: number): number {
  return prepared.nameEntity[prepared.nameCode[i] ?? 0] ?? -1;
}

/** The vendor identity code of item i (an index into vendorKeys). */
export function vendorCodeOf(prepared: PreparedInventory, i: number): number {
  return prepared.nameVendor[prepared.nameCode[i] ?? 0] ?? 0;
}

/** The site of item i, when the inventory knows it. */
export function siteOf(prepared: PreparedInventory, i: number): Site | undefined {
  const s = prepared.siteIndex[i] ?? -1;
  return s < 0 ? undefined : prepared.sites[s];
}

/** The domain code of an item on `day` (walks a domain history). */
export function domainOn(item: InventoryItem, day: Day): number {
  let code = NO_DOMAIN;
  for (const span of item.domains) {
    if (span.from > day) break;
    code = DOMAIN_CODE.get(span.domain) ?? NO_DOMAIN;
  }
  return code;
}
