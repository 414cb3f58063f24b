/**
 * The vendor-share table: for each domain and technology, each vendor identity's share of the
 * active equipment on a day, by items, sites, traffic and premises. Aliases resolve to one
 * identity, so "华为" and "Huawei Technologies (UK)" are one row.
 */
import type { Day } from '../inventory/day.js';
import { DOMAINS, type InventoryItem } from '../inventory/model.js';
import { roundShare, TRAFFIC_SCALE } from './cap.js';
import {
  domainOn,
  kindBits,
  MOVING_SLOT,
  NO_DOMAIN,
  NO_DOMAIN_SLOT,
  vendorCodeOf,
  type PreparedInventory,
} from './prepared-inventory.js';

export interface ShareRow {
  readonly domain: string;
  /** A technology, or '-' for equipment that lists none. */
  readonly technology: string;
  readonly vendor: string;
  readonly items: number;
  readonly sites: number;
  readonly traffic: number;
  readonly premises: number;
  readonly itemShare: number;
  readonly siteShare: number;
  readonly trafficShare: number;
  readonly premisesShare: number;
}

interface Tally {
  items: number;
  sites: Set<number>;
  traffic: number;
  premises: number;
}

const tally = (): Tally => ({ items: 0, sites: new Set(), traffic: 0, premises: 0 });

/** Vendor shares of active equipment on `day`, sorted by domain, technology, then share. */
export function vendorShares(prepared: PreparedInventory, day: Day): ShareRow[] {
  const groups = new Map<string, { total: Tally; vendors: Map<string, Tally> }>();
  const { installed, removed, kindBit, slot } = prepared;
  const equipment = kindBits(['equipment']);
  for (let i = 0; i < prepared.size; i += 1) {
    if (!((installed[i] ?? 0) <= day && day < (removed[i] ?? 0))) continue;
    if (kindBit[i] !== equipment) continue;
    const item = prepared.items[i] as InventoryItem;
    const fixed = slot[i] ?? NO_DOMAIN_SLOT;
    const code =
      fixed < NO_DOMAIN_SLOT ? fixed : fixed === MOVING_SLOT ? domainOn(item, day) : NO_DOMAIN;
    const domain = DOMAINS[code];
    if (domain === undefined) continue;
    const vendor = prepared.vendorKeys[vendorCodeOf(prepared, i)] ?? item.vendor;
    const site = prepared.siteIndex[i] ?? -1;
    const traffic = prepared.traffic[i] ?? 0;
    const premises = prepared.premises[i] ?? 0;
    for (const technology of item.technology.length === 0 ? ['-'] : item.technology) {
      const key = `${domain}\u0000${technology}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { total: tally(), vendors: new Map() };
        groups.set(key, group);
      }
      let own = group.vendors.get(vendor);
      if (own === undefined) {
        own = tally();
        group.vendors.set(vendor, own);
      }
      for (const t of [group.total, own]) {
        t.items += 1;
        t.traffic += traffic;
        t.premises += premises;
        if (site >= 0) t.sites.add(site);
      }
    }
  }
  const rows: ShareRow[] = [];
  for (const [key, group] of groups) {
    const [domain = '', technology = ''] = key.split('\u0000');
    for (const [vendor, t] of group.vendors) {
      rows.push({
        domain,
        technology,
        vendor,
        items: t.items,
        sites: t.sites.size,
        traffic: t.traffic / TRAFFIC_SCALE,
        premises: t.premises,
        itemShare: roundShare(t.items, group.total.items),
        siteShare: roundShare(t.sites.size, group.total.sites.size),
        trafficShare: roundShare(t.traffic, group.total.traffic),
        premisesShare: roundShare(t.premises, group.total.premises),
      });
    }
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) =>
      cmp(a.domain, b.domain) ||
      cmp(a.technology, b.technology) ||
      b.itemShare - a.itemShare ||
      cmp(a.vendor, b.vendor),
  );
}
