import { describe, expect, it } from 'vitest';
import { check, findingsOf } from './scenario.js';

describe('eu-5g-toolbox-hrv', () => {
  const PACK = ['eu-5g-toolbox-hrv'];

  it('advises against Huawei/ZTE in 5G key assets from 15 Jun 2023, not before', () => {
    const inventory = {
      items: [
        { id: 'amf', vendor: 'ZTE Kangxun Telecom Co., Ltd.', domain: 'core', technology: ['5G'] },
        { id: 'olt', vendor: 'Huawei', domain: 'access', technology: ['FTTP'] },
        { id: 'enb', vendor: 'Huawei', domain: 'ran', technology: ['4G'] },
      ],
    };
    expect(findingsOf(check(PACK, inventory, '2023-06-14'), 'eu-sm03-key-assets')).toEqual([]);
    expect(findingsOf(check(PACK, inventory, '2023-06-15'), 'eu-sm03-key-assets')).toEqual([
      { rule: 'eu-sm03-key-assets', status: 'advisory', items: ['amf'] },
    ]);
  });

  it('flags a single-vendor 5G RAN, counting one company under all its names once', () => {
    const single = {
      items: [
        { id: 'g1', vendor: 'Ericsson AB', domain: 'ran', technology: ['5G'] },
        { id: 'g2', vendor: 'Telefonaktiebolaget LM Ericsson', domain: 'ran', technology: ['5G'] },
        { id: 'g3', vendor: '爱立信', domain: 'ran', technology: ['5G'] },
      ],
    };
    expect(findingsOf(check(PACK, single, '2024-01-01'), 'eu-sm05-multivendor')).toEqual([
      { rule: 'eu-sm05-multivendor', status: 'advisory', items: ['g1', 'g2', 'g3'] },
    ]);
    const mixed = {
      items: [...single.items, { id: 'g4', vendor: 'Nokia', domain: 'ran', technology: ['5G'] }],
    };
    expect(findingsOf(check(PACK, mixed, '2024-01-01'), 'eu-sm05-multivendor')).toEqual([]);
  });

  it('never applies the proposed CSA2 phase-out', () => {
    const doc = check(
      PACK,
      { items: [{ id: 'x', vendor: 'Huawei', domain: 'core', technology: ['4G'] }] },
      '2035-01-01',
    );
    expect(findingsOf(doc, 'eu-csa2-phaseout')).toEqual([]);
  });
});

describe('de-5g-2024', () => {
  const PACK = ['de-5g-2024'];
  const network = {
    items: [
      { id: 'core-5g', vendor: 'ZTE Corporation', domain: 'core', technology: ['5G'] },
      { id: 'core-4g', vendor: 'ZTE Corporation', domain: 'core', technology: ['4G'] },
      { id: 'radio', vendor: 'Huawei', domain: 'ran', technology: ['5G'] },
      {
        id: 'nms-ran',
        vendor: 'Huawei',
        domain: 'management',
        technology: ['5G'],
        manages: ['ran'],
      },
      {
        id: 'nms-core',
        vendor: 'Huawei',
        domain: 'management',
        technology: ['5G'],
        manages: ['core'],
      },
    ],
  };

  it('requires the 5G core to be clean after 31 Dec 2026, leaving 4G core and RAN hardware alone', () => {
    expect(check(PACK, network, '2026-12-31').findings).toEqual([]);
    expect(check(PACK, network, '2027-01-01').findings).toEqual([
      { rule: 'de-core-2026', status: 'violation', items: ['core-5g'] },
    ]);
  });

  it('requires Huawei/ZTE management of 5G access and transport to go after 2029', () => {
    expect(findingsOf(check(PACK, network, '2030-01-01'), 'de-mgmt-2029')).toEqual([
      { rule: 'de-mgmt-2029', status: 'violation', items: ['nms-ran'] },
    ]);
  });
});

describe('ca-2022', () => {
  const PACK = ['ca-2022'];
  const bought = (procured: string, technology = ['4G']) => ({
    items: [
      {
        id: 'p1',
        vendor: 'Huawei Technologies Canada Co., Ltd.',
        domain: 'ran',
        technology,
        procured,
        installed: procured,
      },
    ],
  });

  it('reports procurement of new 4G/5G kit after 1 Sep 2022 as a policy finding', () => {
    expect(
      findingsOf(check(PACK, bought('2022-08-15'), '2023-01-01'), 'ca-no-new-procurement'),
    ).toEqual([]);
    expect(
      findingsOf(check(PACK, bought('2022-11-15'), '2023-01-01'), 'ca-no-new-procurement'),
    ).toEqual([{ rule: 'ca-no-new-procurement', status: 'policy', items: ['p1'] }]);
    expect(
      findingsOf(
        check(PACK, bought('2022-11-15', ['FTTP']), '2023-01-01'),
        'ca-no-new-procurement',
      ),
    ).toEqual([]);
  });

  it('marks a purchase near the uncertain 1 Sep 2022 start day as unverified', () => {
    expect(
      findingsOf(check(PACK, bought('2022-09-01'), '2023-01-01'), 'ca-no-new-procurement'),
    ).toEqual([
      { rule: 'ca-no-new-procurement', status: 'policy', items: ['p1'], unverified: true },
    ]);
  });

  it('requires 5G equipment removed and managed services ended after 28 Jun 2024', () => {
    const inventory = (removed?: string) => ({
      items: [
        {
          id: 'gnb',
          vendor: 'ZTE Canada Inc.',
          domain: 'ran',
          technology: ['5G'],
          installed: '2020-01-01',
          ...(removed === undefined ? {} : { removed }),
        },
        {
          id: 'msp',
          kind: 'service',
          vendor: 'Huawei',
          service_type: 'managed-service',
          domain: 'management',
          technology: ['5G'],
          installed: '2020-01-01',
        },
      ],
    });
    expect(check(PACK, inventory(), '2024-06-28').findings).toEqual([]);
    expect(findingsOf(check(PACK, inventory(), '2024-06-29'), 'ca-5g-removal')).toEqual([
      { rule: 'ca-5g-removal', status: 'policy', items: ['gnb', 'msp'] },
    ]);
    expect(findingsOf(check(PACK, inventory('2024-06-29'), '2024-06-29'), 'ca-5g-removal')).toEqual(
      [{ rule: 'ca-5g-removal', status: 'policy', items: ['msp'] }],
    );
  });

  it('gives 4G until the end of 2027', () => {
    const inventory = { items: [{ id: 'enb', vendor: '华为', domain: 'ran', technology: ['4G'] }] };
    expect(check(PACK, inventory, '2027-12-31').findings).toEqual([]);
    expect(check(PACK, inventory, '2028-01-01').findings).toEqual([
      { rule: 'ca-4g-removal', status: 'policy', items: ['enb'] },
    ]);
  });
});
