import { describe, expect, it } from 'vitest';
import { check, evaluate, findingsOf, prepare } from './scenario.js';

const PACK = ['uk-tsa-huawei-dvd'];

/** Ten 5G RAN sites; `huawei` of them Huawei, with per-site traffic. */
function ranNetwork(huaweiTraffic: readonly number[], otherTraffic: readonly number[]) {
  const items = [
    ...huaweiTraffic.map((t, i) => ({
      id: `hw-${i}`,
      vendor: i === 0 ? '华为' : 'Huawei Technologies (UK) Co Ltd',
      site: `H${i}`,
      domain: 'ran',
      technology: ['5G'],
      installed: '2020-01-01',
      traffic_gb_per_day: t,
    })),
    ...otherTraffic.map((t, i) => ({
      id: `er-${i}`,
      vendor: 'Ericsson',
      site: `E${i}`,
      domain: 'ran',
      technology: ['5G'],
      installed: '2020-01-01',
      traffic_gb_per_day: t,
    })),
  ];
  return { items };
}

describe('uk-tsa-huawei-dvd: the 35% cap on the 5G access network', () => {
  it('fails on traffic while passing on sites (3 of 10 sites, 450 of 1150 GB/day)', () => {
    const doc = check(
      PACK,
      ranNetwork([150, 150, 150], [100, 100, 100, 100, 100, 100, 100]),
      '2023-09-01',
    );
    expect(doc.measurements).toEqual([
      {
        rule: 'uk-dvd-ran-cap',
        measures: {
          sites: { numerator: 3, denominator: 10, share: 0.3, breach: false },
          traffic: { numerator: 450, denominator: 1150, share: 0.391304, breach: true },
        },
      },
    ]);
    expect(findingsOf(doc, 'uk-dvd-ran-cap')).toEqual([
      { rule: 'uk-dvd-ran-cap', status: 'violation', items: ['hw-0', 'hw-1', 'hw-2'] },
    ]);
  });

  it('passes at exactly 35% of sites and of traffic (7 of 20 sites, 35 of 100 GB/day)', () => {
    const huawei = [5, 5, 5, 5, 5, 5, 5];
    const others = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5];
    const doc = check(PACK, ranNetwork(huawei, others), '2023-09-01');
    expect(doc.measurements[0]?.measures).toEqual({
      sites: { numerator: 7, denominator: 20, share: 0.35, breach: false },
      traffic: { numerator: 35, denominator: 100, share: 0.35, breach: false },
    });
    expect(findingsOf(doc, 'uk-dvd-ran-cap')).toEqual([]);
  });

  it('fails one thousandth of a GB over the cap', () => {
    const doc = check(PACK, ranNetwork([35.001], [65]), '2023-09-01');
    expect(doc.measurements[0]?.measures.traffic).toEqual({
      numerator: 35.001,
      denominator: 100.001,
      share: 0.350006,
      breach: true,
    });
  });

  it('counts a mixed-vendor site as a Huawei site, and leaves 4G-only kit out of the cap', () => {
    const doc = check(
      PACK,
      {
        items: [
          {
            id: 'a',
            vendor: 'Huawei',
            site: 'S1',
            domain: 'ran',
            technology: ['5G'],
            traffic_gb_per_day: 1,
          },
          {
            id: 'b',
            vendor: 'Nokia',
            site: 'S1',
            domain: 'ran',
            technology: ['5G'],
            traffic_gb_per_day: 9,
          },
          {
            id: 'c',
            vendor: 'Nokia',
            site: 'S2',
            domain: 'ran',
            technology: ['5G'],
            traffic_gb_per_day: 10,
          },
          {
            id: 'd',
            vendor: 'Huawei',
            site: 'S3',
            domain: 'ran',
            technology: ['4G'],
            traffic_gb_per_day: 100,
          },
        ],
      },
      '2023-09-01',
    );
    expect(doc.measurements[0]?.measures).toEqual({
      sites: { numerator: 1, denominator: 2, share: 0.5, breach: true },
      traffic: { numerator: 1, denominator: 20, share: 0.05, breach: false },
    });
  });

  it('is not measured before its deadline has passed', () => {
    expect(check(PACK, ranNetwork([150], [1]), '2023-06-01').measurements).toEqual([]);
  });
});

describe('uk-tsa-huawei-dvd: the full-fibre premises cap', () => {
  it('passes at exactly 35% of premises and fails at 35.1%', () => {
    const fibre = (huawei: number, other: number) => ({
      items: [
        {
          id: 'olt-h',
          vendor: 'HUAWEI TECH',
          site: 'F1',
          domain: 'access',
          technology: ['FTTP'],
          premises_served: huawei,
        },
        {
          id: 'olt-n',
          vendor: 'Nokia',
          site: 'F1',
          domain: 'access',
          technology: ['FTTP'],
          premises_served: other,
        },
      ],
    });
    expect(check(PACK, fibre(350, 650), '2023-11-01').measurements[0]?.measures.premises).toEqual({
      numerator: 350,
      denominator: 1000,
      share: 0.35,
      breach: false,
    });
    expect(
      check(PACK, fibre(351, 649), '2023-11-01').measurements[0]?.measures.premises?.breach,
    ).toBe(true);
    // 31 Oct 2023 is the deadline day itself: the cap is not yet measured.
    expect(check(PACK, fibre(900, 100), '2023-10-31').measurements).toEqual([]);
  });
});

describe('uk-tsa-huawei-dvd: sites significant to national security (by 28 Jan 2023)', () => {
  const inventory = (removed: string | undefined) => ({
    sites: [{ id: 'NAVAL', sensitive: true }, { id: 'TOWN' }],
    items: [
      {
        id: 'sec',
        vendor: '华为技术有限公司',
        site: 'NAVAL',
        domain: 'transport',
        technology: ['IP'],
        installed: '2018-01-01',
        ...(removed === undefined ? {} : { removed }),
      },
      {
        id: 'town',
        vendor: 'Huawei',
        site: 'TOWN',
        domain: 'transport',
        technology: ['IP'],
        installed: '2018-01-01',
      },
    ],
  });

  it('is compliant on the deadline day itself and breached the day after', () => {
    expect(
      findingsOf(check(PACK, inventory(undefined), '2023-01-28'), 'uk-dvd-sensitive-sites'),
    ).toEqual([]);
    expect(
      findingsOf(check(PACK, inventory(undefined), '2023-01-29'), 'uk-dvd-sensitive-sites'),
    ).toEqual([{ rule: 'uk-dvd-sensitive-sites', status: 'violation', items: ['sec'] }]);
  });

  it('counts an item removed on the deadline (or the day after it) as gone in time', () => {
    // `removed` is the first day out of service: removed 2023-01-29 means last in service on the deadline.
    expect(
      findingsOf(check(PACK, inventory('2023-01-28'), '2023-02-15'), 'uk-dvd-sensitive-sites'),
    ).toEqual([]);
    expect(
      findingsOf(check(PACK, inventory('2023-01-29'), '2023-02-15'), 'uk-dvd-sensitive-sites'),
    ).toEqual([]);
    expect(
      findingsOf(check(PACK, inventory('2023-01-30'), '2023-01-29'), 'uk-dvd-sensitive-sites'),
    ).toHaveLength(1);
  });
});

describe('uk-tsa-huawei-dvd: installation bans', () => {
  const spare = (moved: string | undefined) => ({
    items: [
      {
        id: 'spare-1',
        vendor: 'Huawei Device Co., Ltd.',
        site: 'S1',
        technology: ['5G'],
        procured: '2020-11-01',
        installed: '2020-12-01',
        domain_history: [
          { domain: 'spare', from: '2020-12-01' },
          ...(moved === undefined ? [] : [{ domain: 'ran', from: moved }]),
        ],
      },
    ],
  });

  it('treats a spare moved into live 5G service after 13 Oct 2022 as an installation', () => {
    const doc = check(PACK, spare('2023-03-01'), '2024-03-01');
    expect(findingsOf(doc, 'uk-dvd-no-5g-install')).toEqual([
      { rule: 'uk-dvd-no-5g-install', status: 'violation', items: ['spare-1'] },
    ]);
    expect(findingsOf(doc, 'uk-policy-2020-no-5g-install')).toEqual([
      { rule: 'uk-policy-2020-no-5g-install', status: 'policy', items: ['spare-1'] },
    ]);
  });

  it('does not count a spare still in the store, nor a move before the ban as a DVD breach', () => {
    expect(findingsOf(check(PACK, spare(undefined), '2024-03-01'), 'uk-dvd-no-5g-install')).toEqual(
      [],
    );
    const before = check(PACK, spare('2022-10-12'), '2024-03-01');
    expect(findingsOf(before, 'uk-dvd-no-5g-install')).toEqual([]);
    expect(findingsOf(before, 'uk-policy-2020-no-5g-install')).toHaveLength(1);
  });

  it('does not report a move that has not happened yet on the evaluation date', () => {
    expect(
      findingsOf(check(PACK, spare('2023-03-01'), '2023-02-28'), 'uk-dvd-no-5g-install'),
    ).toEqual([]);
  });

  it('keeps a past breach after the item is removed', () => {
    const doc = check(
      PACK,
      {
        items: [
          {
            id: 'x',
            vendor: 'Huawei',
            domain: 'ran',
            technology: ['5G'],
            installed: '2022-11-01',
            removed: '2023-01-01',
          },
        ],
      },
      '2024-01-01',
    );
    expect(findingsOf(doc, 'uk-dvd-no-5g-install')).toHaveLength(1);
  });

  it('bans sanctions-affected Huawei kit newly installed in full fibre, only that kit', () => {
    const doc = check(
      PACK,
      {
        items: [
          {
            id: 'olt-new',
            vendor: 'Huawei',
            domain: 'access',
            technology: ['FTTP'],
            installed: '2022-11-01',
            sanctions_affected: true,
          },
          {
            id: 'olt-ok',
            vendor: 'Huawei',
            domain: 'access',
            technology: ['FTTP'],
            installed: '2022-11-01',
          },
        ],
      },
      '2022-12-01',
    );
    expect(findingsOf(doc, 'uk-dvd-fibre-sanctions')).toEqual([
      { rule: 'uk-dvd-fibre-sanctions', status: 'violation', items: ['olt-new'] },
    ]);
  });
});

describe('uk-tsa-huawei-dvd: the network core (by 31 Dec 2023)', () => {
  const core = {
    items: [
      {
        id: 'c-hw',
        vendor: 'Huawei Technologies Düsseldorf GmbH',
        domain: 'core',
        technology: ['IP'],
        installed: '2019-01-01',
      },
      {
        id: 'c-h3c',
        vendor: 'New H3C Technologies Co., Ltd.',
        domain: 'core',
        technology: ['IP'],
        installed: '2019-01-01',
      },
      { id: 'c-zte', vendor: 'ZTE', domain: 'core', technology: ['IP'], installed: '2019-01-01' },
      { id: 'c-honor', vendor: 'Honor Device Co., Ltd.', domain: 'core', installed: '2019-01-01' },
    ],
  };

  it('flags Huawei and its subsidiaries, not near-misses (H3C, Honor) nor ZTE, which the DVD does not name', () => {
    expect(findingsOf(check(PACK, core, '2023-12-31'), 'uk-dvd-core')).toEqual([]);
    expect(findingsOf(check(PACK, core, '2024-01-01'), 'uk-dvd-core')).toEqual([
      { rule: 'uk-dvd-core', status: 'violation', items: ['c-hw'] },
    ]);
  });

  it('says which registry name matched', () => {
    const finding = evaluate(PACK, prepare(core), '2024-01-01').findings.find(
      (f) => f.rule === 'uk-dvd-core',
    );
    expect(finding?.vendors).toEqual([
      {
        recorded: 'Huawei Technologies Düsseldorf GmbH',
        entity: 'huawei',
        role: 'subsidiary',
        name: 'Huawei Technologies Düsseldorf GmbH',
        via: 'vendor',
        items: 1,
      },
    ]);
  });
});

describe('uk-tsa-huawei-dvd: rules from an uncertain source', () => {
  it('marks high-data-rate transmission findings unverified', () => {
    const doc = check(
      PACK,
      {
        items: [
          {
            id: 't1',
            vendor: 'Huawei',
            domain: 'transport',
            transmission_class: 'inter-operator',
            technology: ['DWDM'],
          },
        ],
      },
      '2026-01-01',
    );
    expect(findingsOf(doc, 'uk-dvd-hdr-transmission')).toEqual([
      { rule: 'uk-dvd-hdr-transmission', status: 'violation', items: ['t1'], unverified: true },
    ]);
  });

  it('never applies the disabled managed-service rule', () => {
    const doc = check(
      PACK,
      {
        items: [
          {
            id: 'm1',
            kind: 'service',
            vendor: 'Huawei',
            service_type: 'managed-service',
            domain: 'management',
          },
        ],
      },
      '2024-01-01',
    );
    expect(findingsOf(doc, 'uk-dvd-managed-services')).toEqual([]);
  });
});
