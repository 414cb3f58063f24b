/**
 * `npm run bench policy`: a national-scale inventory -- 1,000,000 items over 50,000 sites,
 * generated deterministically -- evaluated against every shipped pack on one day. Prints the
 * time and items per second of preparing (vendor resolution, indexing) and evaluating, beside
 * references measured in the same run: copying every item, and JSON.parse of the same items.
 * Goal: under 2 s for all packs.
 */
import { performance } from 'node:perf_hooks';
import { parseDay, type Day } from '../../src/inventory/day.js';
import type {
  Domain,
  Inventory,
  InventoryItem,
  Site,
  Technology,
} from '../../src/inventory/model.js';
import { evaluatePacks } from '../../src/policy/evaluate.js';
import { loadPack, loadRegistry, shippedPackIds } from '../../src/policy/load.js';
import { planRemediation } from '../../src/policy/plan.js';
import { prepareInventory } from '../../src/policy/prepare.js';
import { vendorShares } from '../../src/policy/shares.js';

const ITEMS = Number(process.env.NOSPY_BENCH_ITEMS ?? 1_000_000);
const SITES = Math.max(1, Math.round(ITEMS / 20));

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

function generate(): Inventory {
  const next = random(889);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const sites = new Map<string, Site>();
  for (let s = 0; s < SITES; s += 1) {
    const id = `S${String(s).padStart(5, '0')}`;
    sites.set(id, { id, sensitive: s % 997 === 0 });
  }
  const siteIds = [...sites.keys()];
  const items: InventoryItem[] = [];
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
      events: next() < 0.005 ? [{ type: 'usf_spend', date: installed + 10 }] : [],
      addresses: [],
      firmware: undefined,
    };
    items.push(item);
  }
  return {
    operator: {
      id: 'national',
      usFederalContractor: true,
      usfRecipient: true,
      reimbursement: { participant: true, initialDisbursement: day('2023-06-01'), extensions: [] },
    },
    sites,
    items,
  };
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

const ms = (t: number): string => `${t.toFixed(0).padStart(6)} ms`;
const rate = (t: number): string =>
  `${Math.round(ITEMS / (t / 1000)).toLocaleString('en-US')} items/s`;

const [inventory, generateMs] = time(generate);
process.stdout.write(
  `inventory: ${ITEMS.toLocaleString('en-US')} items over ${SITES.toLocaleString('en-US')} sites (generated in ${generateMs.toFixed(0)} ms)\n`,
);

const registry = loadRegistry();
const packs = shippedPackIds().map((id) => loadPack(id, registry));
const date = day('2026-06-01');

const [prepared, prepareMs] = time(() => prepareInventory(inventory, registry));
const [evaluation, evaluateMs] = time(() => evaluatePacks(prepared, packs, date));
const total = prepareMs + evaluateMs;
const [, planMs] = time(() => planRemediation(prepared, packs, date));
const [, sharesMs] = time(() => vendorShares(prepared, date));

// References on the same items, in the same process (after the evaluation, so that their
// garbage does not weigh on it).
const [, copyMs] = time(() => inventory.items.map((item) => ({ ...item })).length);
let json: string | undefined = JSON.stringify(inventory.items);
const jsonBytes = json.length;
const [, parseMs] = time(() => (JSON.parse(json ?? '[]') as unknown[]).length);
json = undefined;

const findings = evaluation.findings.reduce((n, f) => n + f.items.length, 0);
process.stdout.write(
  [
    `reference  copy every item (spread)        ${ms(copyMs)}  ${rate(copyMs)}`,
    `reference  JSON.parse of the items (${(jsonBytes / 1e6).toFixed(0)} MB)   ${ms(parseMs)}  ${rate(parseMs)}`,
    `prepare    resolve vendors, index items    ${ms(prepareMs)}  ${rate(prepareMs)}`,
    `evaluate   ${packs.length} packs, ${packs.reduce((n, p) => n + p.rules.length, 0)} rules on 2026-06-01     ${ms(evaluateMs)}  ${rate(evaluateMs)}`,
    `total      prepare + evaluate              ${ms(total)}  ${rate(total)}  (goal < 2000 ms: ${total < 2000 ? 'met' : 'NOT met'})`,
    `plan       remediation plan, all packs     ${ms(planMs)}`,
    `shares     vendor-share table              ${ms(sharesMs)}`,
    `findings: ${evaluation.findings.length} (${findings.toLocaleString('en-US')} item listings), measurements: ${evaluation.measurements.length}, exempt groups: ${evaluation.exempt.length}`,
    '',
  ].join('\n'),
);
