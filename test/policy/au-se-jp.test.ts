import { describe, expect, it } from 'vitest';
import { check, findingsOf } from './scenario.js';

describe('au-5g-2018: the 5G guidance of 23 Aug 2018', () => {
  const PACK = ['au-5g-2018'];
  const network = {
    items: [
      {
        id: 'gnb-hw',
        vendor: 'Huawei Technologies Co., Ltd.',
        domain: 'ran',
        technology: ['5G'],
        installed: '2018-01-01',
      },
      {
        id: 'upf-zte',
        vendor: '中兴通讯股份有限公司',
        domain: 'core',
        technology: ['5G'],
        installed: '2018-01-01',
      },
      {
        id: 'enb-hw',
        vendor: 'Huawei',
        domain: 'ran',
        technology: ['4G'],
        installed: '2018-01-01',
      },
      {
        id: 'mw-ztt',
        vendor: 'ZTT',
        domain: 'transport',
        technology: ['5G'],
        installed: '2018-01-01',
      },
      {
        id: 'phone',
        vendor: 'Honor Device Co., Ltd.',
        domain: 'cpe',
        technology: ['5G'],
        installed: '2018-01-01',
      },
      {
        id: 'gone',
        vendor: 'HUAWEI TECH',
        domain: 'ran',
        technology: ['5G'],
        installed: '2018-01-01',
        removed: '2018-08-23',
      },
    ],
  };

  it('keeps Huawei and ZTE, under their Chinese names too, out of 5G networks from the guidance day', () => {
    // The guidance covers every 5G domain: its reasoning is that 5G blurs core and edge. 4G kit,
    // ZTT (not ZTE) and Honor (sold by Huawei in 2020) are outside; an item last in service on
    // 22 Aug 2018 was gone in time.
    expect(check(PACK, network, '2018-08-22').findings).toEqual([]);
    expect(check(PACK, network, '2018-08-23').findings).toEqual([
      { rule: 'au-5g-exclusion', status: 'policy', items: ['gnb-hw', 'upf-zte'] },
    ]);
  });
});

describe('se-pts-2020: the 3.5/2.3 GHz licence conditions', () => {
  const PACK = ['se-pts-2020'];

  it('forbids new central functions with Huawei or ZTE from the licences of 20 Jan 2021', () => {
    const install = (installed: string) => ({
      items: [{ id: 'gnb', vendor: '华为', domain: 'ran', technology: ['5G'], installed }],
    });
    // Installed the day before the licences were granted: not a new installation under them.
    expect(
      findingsOf(check(PACK, install('2021-01-19'), '2022-01-01'), 'se-no-new-central-functions'),
    ).toEqual([]);
    expect(
      findingsOf(check(PACK, install('2021-01-20'), '2022-01-01'), 'se-no-new-central-functions'),
    ).toEqual([{ rule: 'se-no-new-central-functions', status: 'violation', items: ['gnb'] }]);
  });

  it('counts a spare moved into the 5G core after the licences as a new installation', () => {
    const spare = {
      items: [
        {
          id: 'smf',
          vendor: 'ZTE Kangxun Telecom Co., Ltd.',
          technology: ['5G'],
          installed: '2020-06-01',
          domain_history: [
            { domain: 'spare', from: '2020-06-01' },
            { domain: 'core', from: '2022-02-01' },
          ],
        },
      ],
    };
    expect(findingsOf(check(PACK, spare, '2022-03-01'), 'se-no-new-central-functions')).toEqual([
      { rule: 'se-no-new-central-functions', status: 'violation', items: ['smf'] },
    ]);
  });

  it('requires existing central functions clear by 1 Jan 2025, the day itself between two readings', () => {
    const legacy = (removed?: string) => ({
      items: [
        {
          id: 'core',
          vendor: 'ZTE Corporation',
          domain: 'core',
          technology: ['5G'],
          installed: '2019-05-01',
          ...(removed === undefined ? {} : { removed }),
        },
        {
          id: 'olt',
          vendor: 'Huawei',
          domain: 'access',
          technology: ['FTTP'],
          installed: '2019-05-01',
        },
        { id: 'sw', vendor: 'H3C', domain: 'core', technology: ['5G'], installed: '2019-05-01' },
      ],
    });
    // "Completed no later than 1 January 2025": gone by 31 Dec 2024 on the strict reading, on
    // 1 Jan 2025 on the lenient one. Fibre access is no central function; H3C is not Huawei.
    expect(check(PACK, legacy(), '2024-12-31').findings).toEqual([]);
    expect(check(PACK, legacy(), '2025-01-01').findings).toEqual([
      { rule: 'se-phase-out-2025', status: 'violation', items: ['core'], unverified: true },
    ]);
    expect(check(PACK, legacy(), '2025-01-02').findings).toEqual([
      { rule: 'se-phase-out-2025', status: 'violation', items: ['core'] },
    ]);
    // Removed on 1 Jan 2025 means last in service on 31 Dec 2024: in time on either reading.
    expect(check(PACK, legacy('2025-01-01'), '2025-01-02').findings).toEqual([]);
  });
});

describe('jp-procurement-2018: supplies to government entities from fiscal 2019', () => {
  const PACK = ['jp-procurement-2018'];
  const supplied = (date: string) => ({
    items: [
      {
        id: 'router',
        vendor: '华为技术',
        domain: 'enterprise-it',
        technology: ['IP'],
        events: [{ type: 'government_supply', date }],
      },
      {
        id: 'camera',
        vendor: 'Hikvision',
        domain: 'physical-security',
        technology: ['CCTV'],
        events: [{ type: 'government_supply', date }],
      },
      {
        id: 'sold',
        vendor: 'ZTE',
        domain: 'enterprise-it',
        technology: ['IP'],
        events: [{ type: 'usf_spend', date }],
      },
    ],
  });

  it('counts a Huawei supply on 1 Apr 2019 and none on 31 Mar 2019', () => {
    // Hikvision is not what the guidelines were reported to exclude; a subsidy event is no supply.
    expect(check(PACK, supplied('2019-03-31'), '2020-01-01').findings).toEqual([]);
    expect(check(PACK, supplied('2019-04-01'), '2020-01-01').findings).toEqual([
      { rule: 'jp-gov-procurement', status: 'policy', items: ['router'] },
    ]);
  });

  it('does not count a supply that has not happened yet on the day checked', () => {
    expect(check(PACK, supplied('2020-02-01'), '2020-01-31').findings).toEqual([]);
  });
});
