import { describe, expect, it } from 'vitest';
import { check, findingsOf } from './scenario.js';

const PACK = ['us-ndaa-889'];
const contractor = { us_federal_contractor: true };

describe('us-ndaa-889 Part B: a federal contractor using covered equipment', () => {
  it('applies only to a federal contractor, from 13 Aug 2020', () => {
    const items = [
      { id: 'r1', vendor: 'Huawei', domain: 'enterprise-it', installed: '2019-01-01' },
    ];
    expect(check(PACK, { items }, '2021-01-01').findings).toEqual([]);
    expect(check(PACK, { operator: contractor, items }, '2020-08-12').findings).toEqual([]);
    expect(check(PACK, { operator: contractor, items }, '2020-08-13').findings).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['r1'] },
    ]);
  });

  it('finds subsidiaries recorded in Chinese script and in full legal form', () => {
    const doc = check(
      PACK,
      {
        operator: contractor,
        items: [
          { id: 'a', vendor: '华为终端有限公司', domain: 'enterprise-it' },
          { id: 'b', vendor: 'Futurewei Technologies, Inc.', domain: 'enterprise-it' },
          { id: 'c', vendor: '中兴通讯股份有限公司', domain: 'access' },
          { id: 'd', vendor: 'Sanechips Technology Co., Ltd.', domain: 'access' },
        ],
      },
      '2024-01-01',
    );
    expect(findingsOf(doc, 'us-889-b')).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['a', 'b', 'c', 'd'] },
    ]);
  });

  it('ignores near-misses that are not affiliated (ZTT, H3C, Honor)', () => {
    const doc = check(
      PACK,
      {
        operator: contractor,
        items: [
          { id: 'a', vendor: 'ZTT', domain: 'transport' },
          { id: 'b', vendor: 'Jiangsu Zhongtian Technology Co., Ltd.', domain: 'transport' },
          { id: 'c', vendor: 'H3C', domain: 'core' },
          { id: 'd', vendor: '荣耀', domain: 'enterprise-it' },
        ],
      },
      '2024-01-01',
    );
    expect(doc.findings).toEqual([]);
  });

  it('limits Hikvision, Dahua and Hytera to the statutory purposes', () => {
    const doc = check(
      PACK,
      {
        operator: contractor,
        items: [
          {
            id: 'cam-gov',
            vendor: '海康威视',
            domain: 'physical-security',
            purpose: 'government-facility-security',
          },
          {
            id: 'cam-shop',
            vendor: 'Hikvision',
            domain: 'physical-security',
            purpose: 'retail-loss-prevention',
          },
          { id: 'cam-none', vendor: 'Dahua', domain: 'physical-security' },
          { id: 'radio', vendor: 'Sepura', domain: 'physical-security', purpose: 'public-safety' },
          {
            id: 'cam-ezviz',
            vendor: 'EZVIZ',
            domain: 'physical-security',
            purpose: 'critical-infrastructure-surveillance',
          },
        ],
      },
      '2024-01-01',
    );
    expect(findingsOf(doc, 'us-889-b')).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['cam-ezviz', 'cam-gov', 'radio'] },
    ]);
  });

  it('reports the statutory exceptions as exempt, not as breaches', () => {
    const doc = check(
      PACK,
      {
        operator: contractor,
        items: [
          { id: 'blind', vendor: 'ZTE', domain: 'access', can_route_or_view_user_data: false },
          {
            id: 'roam',
            kind: 'service',
            vendor: 'Huawei',
            service_type: 'roaming',
            domain: 'interconnect',
          },
          { id: 'box', vendor: 'Huawei', service_type: 'backhaul', domain: 'transport' },
        ],
      },
      '2024-01-01',
    );
    expect(doc.findings).toEqual([{ rule: 'us-889-b', status: 'violation', items: ['box'] }]);
    expect(doc.exempt).toEqual([
      { rule: 'us-889-b', exemption: 'no-user-data-visibility', items: ['blind'] },
      { rule: 'us-889-b', exemption: 'third-party-connection', items: ['roam'] },
    ]);
  });

  it('asks for human review of a covered chip inside third-party equipment', () => {
    const doc = check(
      PACK,
      {
        operator: contractor,
        items: [
          {
            id: 'cam',
            vendor: 'Acme Vision',
            components: [{ vendor: '海思', part: 'Hi3516' }],
            domain: 'physical-security',
          },
          {
            id: 'hw',
            vendor: 'Huawei',
            components: [{ vendor: 'HiSilicon' }],
            domain: 'enterprise-it',
          },
        ],
      },
      '2024-01-01',
    );
    expect(doc.findings).toEqual([
      { rule: 'us-889-b', status: 'violation', items: ['hw'] },
      { rule: 'us-889-b', status: 'review', items: ['cam'] },
    ]);
  });
});

describe('us-ndaa-889 Part A: supplying covered equipment to an executive agency', () => {
  const supplied = (date: string) => ({
    items: [
      {
        id: 's1',
        vendor: 'ZTE USA, Inc.',
        domain: 'enterprise-it',
        events: [{ type: 'government_supply', date }],
      },
    ],
  });

  it('fires for a supply on or after 13 Aug 2019, once the supply has happened', () => {
    expect(findingsOf(check(PACK, supplied('2019-08-12'), '2024-01-01'), 'us-889-a')).toEqual([]);
    expect(findingsOf(check(PACK, supplied('2019-08-13'), '2024-01-01'), 'us-889-a')).toEqual([
      { rule: 'us-889-a', status: 'violation', items: ['s1'] },
    ]);
    expect(findingsOf(check(PACK, supplied('2023-05-01'), '2023-04-30'), 'us-889-a')).toEqual([]);
  });

  it('does not need the operator to be a federal contractor', () => {
    expect(findingsOf(check(PACK, supplied('2020-01-01'), '2020-01-01'), 'us-889-a')).toHaveLength(
      1,
    );
  });
});
