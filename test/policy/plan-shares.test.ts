import { describe, expect, it } from 'vitest';
import { formatDay, parseDay } from '../../src/inventory/day.js';
import { planRemediation } from '../../src/policy/plan.js';
import { vendorShares } from '../../src/policy/shares.js';
import { prepare, shippedPack } from './scenario.js';

const network = prepare({
  sites: [{ id: 'S1' }, { id: 'S2' }, { id: 'NAVAL', sensitive: true }],
  items: [
    { id: 'core-1', vendor: 'Huawei', domain: 'core', technology: ['5G'], site: 'S1' },
    { id: 'core-2', vendor: 'ZTE', domain: 'core', technology: ['5G'], site: 'S1' },
    {
      id: 'ran-1',
      vendor: '华为',
      domain: 'ran',
      technology: ['5G'],
      site: 'S1',
      traffic_gb_per_day: 80,
    },
    {
      id: 'ran-2',
      vendor: 'Ericsson',
      domain: 'ran',
      technology: ['5G'],
      site: 'S2',
      traffic_gb_per_day: 20,
    },
    {
      id: 'ran-3',
      vendor: 'Huawei Technologies (UK) Co., Ltd.',
      domain: 'ran',
      technology: ['4G'],
      site: 'S2',
      removed: '2024-06-01',
    },
    { id: 'naval-1', vendor: 'Huawei', domain: 'transport', site: 'NAVAL' },
  ],
});

describe('the remediation plan', () => {
  const plan = planRemediation(
    network,
    [shippedPack('uk-tsa-huawei-dvd'), shippedPack('de-5g-2024')],
    parseDay('2023-03-01')!,
  );

  it('lists what must leave per vendor and deadline, sorted by date, flagging passed deadlines', () => {
    expect(
      plan.removals.map((s) => [formatDay(s.by), s.rule, s.vendor, s.items, s.overdue]),
    ).toEqual([
      ['2023-01-28', 'uk-dvd-sensitive-sites', 'huawei', ['naval-1'], true],
      ['2023-12-31', 'uk-dvd-core', 'huawei', ['core-1'], false],
      ['2026-12-31', 'de-core-2026', 'huawei', ['core-1'], false],
      ['2026-12-31', 'de-core-2026', 'zte', ['core-2'], false],
      ['2027-12-31', 'uk-dvd-5g-removal', 'huawei', ['core-1', 'ran-1'], false],
    ]);
  });

  it('says how much of a cap must go, replaced like for like', () => {
    // 5G RAN on 1 Aug 2023: Huawei at 1 of 2 sites and 80 of 100 GB/day; 35% allows 0 sites and 35 GB/day.
    expect(plan.caps).toEqual([
      expect.objectContaining({
        rule: 'uk-dvd-ran-cap',
        // The deadline's day is uncertain (28 or 31 July): the plan gives the strict reading
        // first and the lenient one as `latest`.
        by: parseDay('2023-07-28'),
        latest: parseDay('2023-07-31'),
        overdue: false,
        excess: { sites: 1, traffic: 45 },
      }),
    ]);
  });
});

describe('the vendor-share table', () => {
  it('groups aliases into one identity per domain and technology', () => {
    const rows = vendorShares(network, parseDay('2024-07-01')!);
    const ran5g = rows.filter((r) => r.domain === 'ran' && r.technology === '5G');
    expect(ran5g).toEqual([
      {
        domain: 'ran',
        technology: '5G',
        vendor: 'ericsson',
        items: 1,
        sites: 1,
        traffic: 20,
        premises: 0,
        itemShare: 0.5,
        siteShare: 0.5,
        trafficShare: 0.2,
        premisesShare: 0,
      },
      {
        domain: 'ran',
        technology: '5G',
        vendor: 'huawei',
        items: 1,
        sites: 1,
        traffic: 80,
        premises: 0,
        itemShare: 0.5,
        siteShare: 0.5,
        trafficShare: 0.8,
        premisesShare: 0,
      },
    ]);
    // ran-3 left service on 2024-06-01.
    expect(rows.some((r) => r.technology === '4G')).toBe(false);
  });
});
