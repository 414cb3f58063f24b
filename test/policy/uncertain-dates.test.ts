import { describe, expect, it } from 'vitest';
import { check, findingsOf } from './scenario.js';

/**
 * Dates whose day is uncertain are ranges: a finding is decided at the strict end of the range
 * and is unverified only when the day checked falls inside it, where the two readings disagree.
 */
describe('the UK 5G RAN cap, due end-July 2023 (28 or 31 July)', () => {
  // Two 5G RAN sites, one of them Huawei (华为) with 80 of 100 GB/day: over 35% on both measures.
  const network = {
    items: [
      {
        id: 'hw',
        vendor: '华为',
        site: 'A',
        domain: 'ran',
        technology: ['5G'],
        traffic_gb_per_day: 80,
      },
      {
        id: 'er',
        vendor: 'Ericsson',
        site: 'B',
        domain: 'ran',
        technology: ['5G'],
        traffic_gb_per_day: 20,
      },
    ],
  };
  const PACK = ['uk-tsa-huawei-dvd'];

  it('reports a breach on 15 Aug 2023 as verified, since both readings of the deadline have passed', () => {
    // Regression: this breach used to be flagged unverified because it fell within 31 days of
    // the uncertain 31 July.
    expect(findingsOf(check(PACK, network, '2023-08-15'), 'uk-dvd-ran-cap')).toEqual([
      { rule: 'uk-dvd-ran-cap', status: 'violation', items: ['hw'] },
    ]);
  });

  it('reports it unverified on 30 Jul 2023: past a 28 July deadline, not past a 31 July one', () => {
    expect(findingsOf(check(PACK, network, '2023-07-30'), 'uk-dvd-ran-cap')).toEqual([
      { rule: 'uk-dvd-ran-cap', status: 'violation', items: ['hw'], unverified: true },
    ]);
  });

  it('does not measure the cap on 28 Jul 2023: the deadline day itself is compliant on either reading', () => {
    expect(check(PACK, network, '2023-07-28').measurements).toEqual([]);
  });

  it('reports it verified on 1 Aug 2023, the first day after both readings', () => {
    expect(findingsOf(check(PACK, network, '2023-08-01'), 'uk-dvd-ran-cap')).toEqual([
      { rule: 'uk-dvd-ran-cap', status: 'violation', items: ['hw'] },
    ]);
  });
});

describe('the Canadian procurement stop, from "after 1 Sep 2022" or "by Sept. 2022"', () => {
  const bought = (procured: string) => ({
    items: [
      {
        id: 'p1',
        vendor: '中兴通讯',
        domain: 'ran',
        technology: ['5G'],
        procured,
        installed: procured,
      },
    ],
  });
  const PACK = ['ca-2022'];

  it('marks a purchase on 1 Sep 2022 unverified: the one day the two readings disagree on', () => {
    expect(
      findingsOf(check(PACK, bought('2022-09-01'), '2023-01-01'), 'ca-no-new-procurement'),
    ).toEqual([
      { rule: 'ca-no-new-procurement', status: 'policy', items: ['p1'], unverified: true },
    ]);
  });

  it('reports a purchase on 2 Sep 2022 as verified: after 1 Sep on either reading', () => {
    // It used to be unverified as it fell within 31 days of the uncertain day.
    expect(
      findingsOf(check(PACK, bought('2022-09-02'), '2023-01-01'), 'ca-no-new-procurement'),
    ).toEqual([{ rule: 'ca-no-new-procurement', status: 'policy', items: ['p1'] }]);
  });

  it('does not report a purchase on 31 Aug 2022, before either reading', () => {
    expect(
      findingsOf(check(PACK, bought('2022-08-31'), '2023-01-01'), 'ca-no-new-procurement'),
    ).toEqual([]);
  });
});

describe('s.889 Part B agency waivers (one-time, ending by 13 Aug 2022 at the latest)', () => {
  const PACK = ['us-ndaa-889'];
  // A federal contractor using a ZTE router; `waiver` is its record of an agency waiver.
  const contractor = (waiver?: Record<string, string>) => ({
    operator: {
      us_federal_contractor: true,
      ...(waiver === undefined
        ? {}
        : { authorisations: [{ scheme: 'us-889-agency-waiver', id: 'DHS-2020-17', ...waiver }] }),
    },
    items: [{ id: 'rtr', vendor: 'ZTE Corporation', domain: 'transport', technology: ['IP'] }],
  });

  it('without a waiver, the router breaks Part B from 13 Aug 2020, verified', () => {
    expect(findingsOf(check(PACK, contractor(), '2021-06-01'), 'us-889-b')).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['rtr'] },
    ]);
  });

  it('with a waiver recorded without its end, the finding is unverified until 13 Aug 2022', () => {
    // The waiver lasted some time between Part B's effective day and the statutory cap: the
    // strict reading is that it had already ended, the lenient one that it still covers the day.
    const doc = check(PACK, contractor({ granted: '2020-08-10' }), '2021-06-01');
    expect(findingsOf(doc, 'us-889-b')).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['rtr'], unverified: true },
    ]);
    expect(
      findingsOf(check(PACK, contractor({ granted: '2020-08-10' }), '2022-08-13'), 'us-889-b'),
    ).toEqual([{ rule: 'us-889-b', status: 'violation', items: ['rtr'], unverified: true }]);
  });

  it('after 13 Aug 2022 no agency waiver can cover the router: the finding is verified', () => {
    expect(
      findingsOf(check(PACK, contractor({ granted: '2020-08-10' }), '2022-08-14'), 'us-889-b'),
    ).toEqual([{ rule: 'us-889-b', status: 'violation', items: ['rtr'] }]);
    // Even a record claiming a later expiry: the statute caps agency waivers at 13 Aug 2022.
    expect(
      findingsOf(
        check(PACK, contractor({ granted: '2020-08-10', expires: '2023-12-31' }), '2022-09-01'),
        'us-889-b',
      ),
    ).toEqual([{ rule: 'us-889-b', status: 'violation', items: ['rtr'] }]);
  });

  it('a waiver recorded with its expiry settles the end: exempt through that day, a violation after', () => {
    const waiver = { granted: '2020-08-10', expires: '2022-03-31' };
    const through = check(PACK, contractor(waiver), '2022-03-31');
    expect(findingsOf(through, 'us-889-b')).toEqual([]);
    expect(through.exempt).toEqual([
      { rule: 'us-889-b', exemption: 'agency-waiver-part-b', items: ['rtr'] },
    ]);
    expect(findingsOf(check(PACK, contractor(waiver), '2022-04-01'), 'us-889-b')).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['rtr'] },
    ]);
  });

  it('a waiver of another scheme, or one not yet granted, exempts nothing', () => {
    const other = {
      operator: {
        us_federal_contractor: true,
        authorisations: [{ scheme: 'us-889-dni-waiver', id: 'DNI-1', expires: '2022-09-30' }],
      },
      items: contractor().items,
    };
    expect(findingsOf(check(PACK, other, '2021-06-01'), 'us-889-b')).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['rtr'] },
    ]);
    expect(
      findingsOf(
        check(PACK, contractor({ granted: '2021-07-01', expires: '2022-08-13' }), '2021-06-01'),
        'us-889-b',
      ),
    ).toEqual([{ rule: 'us-889-b', status: 'violation', items: ['rtr'] }]);
  });
});
