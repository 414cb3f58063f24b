/**
 * The item fields rules test, copied out of the item objects into typed columns so that a rule's
 * loop reads integer arrays: days as integers, kind and technologies as bit masks, traffic in
 * integer thousandths of a GB, and flags for "cannot see user data", "sanctions-affected" and
 * "sensitive site".
 */
import type { InventoryItem, Site, Technology } from '../../inventory/model.js';
import { TRAFFIC_SCALE } from '../cap.js';
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
  TECH_BIT,
} from '../prepared-inventory.js';

/** The item's bucket slot: its fixed domain's code, NO_DOMAIN_SLOT, or MOVING_SLOT. */
export function slotOf(item: InventoryItem): number {
  const spans = item.domains;
  const first = spans[0];
  if (first === undefined) return NO_DOMAIN_SLOT;
  return spans.length === 1 && first.from === -Infinity
    ? (DOMAIN_CODE.get(first.domain) ?? NO_DOMAIN_SLOT)
    : MOVING_SLOT;
}

/** The columns of the prepared inventory, one row per item (PreparedInventory documents each). */
export class ItemColumns {
  readonly siteIndex: Int32Array;
  readonly nameCode: Int32Array;
  readonly kindBit: Uint8Array;
  readonly technologyBits: Uint32Array;
  readonly installed: Int32Array;
  readonly removed: Int32Array;
  readonly procured: Int32Array;
  readonly slot: Uint8Array;
  readonly flags: Uint8Array;
  traffic: Int32Array | Float64Array;
  premises: Int32Array | Float64Array;

  constructor(size: number) {
    this.siteIndex = new Int32Array(size);
    this.nameCode = new Int32Array(size);
    this.kindBit = new Uint8Array(size);
    this.technologyBits = new Uint32Array(size);
    this.installed = new Int32Array(size);
    this.removed = new Int32Array(size);
    this.procured = new Int32Array(size);
    this.slot = new Uint8Array(size);
    this.flags = new Uint8Array(size);
    this.traffic = new Int32Array(size);
    this.premises = new Int32Array(size);
  }

  /**
   * Fills row i from the item, its site (index and object, -1/undefined when none) and its
   * recorded vendor name's number. Returns the item's slot.
   */
  set(
    i: number,
    item: InventoryItem,
    siteIndex: number,
    site: Site | undefined,
    name: number,
  ): number {
    this.siteIndex[i] = siteIndex;
    this.nameCode[i] = name;
    this.kindBit[i] = KIND_BIT.get(item.kind) ?? 0;
    let bits = 0;
    const technology = item.technology;
    for (let t = 0; t < technology.length; t += 1)
      bits |= TECH_BIT.get(technology[t] as Technology) ?? 0;
    this.technologyBits[i] = bits;
    this.installed[i] = item.installed ?? DAY_UNKNOWN;
    this.removed[i] = item.removed ?? DAY_NEVER;
    this.procured[i] = item.procured ?? DAY_UNKNOWN;
    const slot = slotOf(item);
    this.slot[i] = slot;
    this.flags[i] =
      (item.canRouteOrViewUserData ? 0 : FLAG_NO_USER_DATA) |
      (item.sanctionsAffected ? FLAG_SANCTIONS : 0) |
      (site?.sensitive === true ? FLAG_SENSITIVE_SITE : 0);
    // Validated inventories fit 32 bits (schema bounds); anything else widens the column.
    const t = Math.round((item.trafficGbPerDay ?? 0) * TRAFFIC_SCALE);
    if (t !== (t | 0) && this.traffic instanceof Int32Array)
      this.traffic = Float64Array.from(this.traffic);
    this.traffic[i] = t;
    const p = item.premisesServed ?? 0;
    if (p !== (p | 0) && this.premises instanceof Int32Array)
      this.premises = Float64Array.from(this.premises);
    this.premises[i] = p;
    return slot;
  }
}
