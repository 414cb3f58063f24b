/**
 * The national-scale inventory of the policy benchmark: `items` items over items/20 sites,
 * generated deterministically (the same seed every run), with a realistic mix of domains,
 * technologies, recorded vendor spellings, domain moves, removals and events.
 */
import { parseDay, type Day } from '../../src/inventory/day.js';
import type {
  Domain,
  Inventory,
  InventoryItem,
  Site,
  Technology,
} from '../../src/inventory/model.js';

/** A small deterministic generator (mulberry32), so every run measures the same inventory. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RAN_VENDORS = [
  'Ericsson',
  'Ericsson AB',
  'Nokia',
  'Nokia Solutions and Networks Oy',
  'Samsung Electronics Co., Ltd.',
  'Huawei',
  '华为技术有限公司',
  'HUAWEI TECH',
  'Huawei Technologies (UK) Co., Ltd.',
  'ZTE',
  '中兴通讯股份有限公司',
];
const OTHER_VENDORS = [
  'Cisco Systems',
  'Juniper Networks',
  'Ciena',
  'Adtran Networks',
  'Calix',
  'ZTT',
  'H3C',
  'Huawei',
  'ZTE Corporation',
];
const day = (text: string): Day => parseDay(text) ?? 0;
/** One shared empty list, as the inventory loader gives items without authorisations. */
const NO_AUTHORISATIONS: readonly never[] = Object.freeze([]);

/** A national inventory of `items` items over max(1, items/20) sites. */
export function nationalInventory(items: number): Inventory {
  const ITEMS = items;
  const SITES = Math.max(1, Math.round(ITEMS / 20));
  const next = random(889);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const sites = new Map<string, Site>();
  for (let s = 0; s < SITES; s += 1) {
    const id = `S${String(s).padStart(5, '0')}`;
    sites.set(id, { id, sensitive: s % 997 === 0 });
  }
  const siteIds = [...sites.keys()];
  const generated: InventoryItem[] = [];
  for (let i = 0; i < ITEMS; i += 1) {
    const roll = next();
    const domain: Domain =
      roll < 0.55
        ? 'ran'
        : roll < 0.75
          ? 'access'
          : roll < 0.9
            ? 'transport'
            : roll < 0.95
              ? 'management'
              : roll < 0.97
                ? 'core'
                : 'spare';
    const technology: Technology[] =
      domain === 'ran'
        ? next() < 0.5
          ? ['5G']
          : next() < 0.5
            ? ['4G']
            : ['4G', '5G']
        : domain === 'access'
          ? ['FTTP']
          : domain === 'transport'
            ? ['DWDM']
            : ['5G'];
    const installed = day('2015-01-01') + Math.floor(next() * 4000);
    const moved = domain === 'spare' && next() < 0.5;
    const item: InventoryItem = {
      id: `it-${String(i).padStart(7, '0')}`,
      kind: 'equipment',
      vendor: domain === 'ran' ? pick(RAN_VENDORS) : pick(OTHER_VENDORS),
      model: undefined,
      components: next() < 0.01 ? [{ vendor: 'HiSilicon', part: 'Hi3516' }] : [],
      site: pick(siteIds),
      domains: moved
        ? [
            { domain: 'spare', from: installed },
            { domain: 'ran', from: installed + 200 + Math.floor(next() * 1000) },
          ]
        : [{ domain, from: -Infinity }],
      technology,
      procured: installed - 30,
      installed,
      removed: next() < 0.1 ? installed + 100 + Math.floor(next() * 2000) : undefined,
      purpose: undefined,
      canRouteOrViewUserData: next() > 0.02,
      sanctionsAffected: next() < 0.01,
      transmissionClass: domain === 'transport' && next() < 0.3 ? 'intra-core' : undefined,
      manages: domain === 'management' ? ['ran'] : [],
      serviceType: undefined,
      premisesServed: domain === 'access' ? Math.floor(next() * 2000) : undefined,
      trafficGbPerDay: domain === 'ran' ? Math.round(next() * 500_000) / 1000 : undefined,
      category: undefined,
      producedIn: undefined,
      authorisations: NO_AUTHORISATIONS,
      events: next() < 0.005 ? [{ type: 'usf_spend', date: installed + 10 }] : [],
      addresses: [],
      firmware: undefined,
    };
    generated.push(item);
  }
  return {
    operator: {
      id: 'national',
      usFederalContractor: true,
      usfRecipient: true,
      reimbursement: { participant: true, initialDisbursement: day('2023-06-01'), extensions: [] },
    },
    sites,
    items: generated,
  };
}
