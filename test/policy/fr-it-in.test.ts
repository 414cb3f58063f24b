import { describe, expect, it } from 'vitest';
import { check, findingsOf } from './scenario.js';

const FR = ['fr-l34-11-2019'];
const IT = ['it-golden-power-5g'];
const IN = ['in-trusted-sources-2021'];

describe('fr-l34-11-2019: an authorisation for every 5G radio device, whatever its vendor', () => {
  const radio = (
    id: string,
    vendor: string,
    authorisations: Record<string, string>[],
    technology = ['5G'],
  ) => ({
    id,
    vendor,
    domain: 'ran',
    technology,
    installed: '2019-06-01',
    authorisations: authorisations.map((a) => ({ scheme: 'fr-l34-11', id: `AUT-${id}`, ...a })),
  });
  const network = {
    items: [
      radio('nokia', 'Nokia', [{ expires: '2028-12-31' }]),
      radio('hw-3y', '华为技术有限公司', [{ granted: '2020-07-15', expires: '2023-07-14' }]),
      radio('hw-none', 'Huawei Technologies (UK) Co., Ltd.', []),
      radio('enb', 'Huawei', [], ['4G']),
      { id: 'box', vendor: 'Huawei', domain: 'cpe', technology: ['5G'], installed: '2019-06-01' },
      {
        ...radio('er-it', 'Ericsson', []),
        authorisations: [{ scheme: 'it-golden-power-5g', id: 'GP-1' }],
      },
    ],
  };

  it('reports the radios without an authorisation in force, Nokia and Huawei alike', () => {
    // On 1 Jun 2021: hw-3y's authorisation (from 15 Jul 2020) is in force; hw-none and Ericsson
    // (whose record is an Italian notification, not a French authorisation) hold none. 4G radios
    // and customer equipment are outside the law.
    expect(check(FR, network, '2021-06-01').findings).toEqual([
      { rule: 'fr-5g-radio-authorisation', status: 'violation', items: ['er-it', 'hw-none'] },
    ]);
  });

  it('allows a device on the last day of its authorisation and reports it the day after', () => {
    const hw = {
      items: [radio('hw-3y', '华为', [{ granted: '2020-07-15', expires: '2023-07-14' }])],
    };
    expect(check(FR, hw, '2023-07-14').findings).toEqual([]);
    expect(check(FR, hw, '2023-07-15').findings).toEqual([
      { rule: 'fr-5g-radio-authorisation', status: 'violation', items: ['hw-3y'] },
    ]);
  });

  it('reports a device operated before its authorisation was granted', () => {
    const early = {
      items: [radio('hw', 'Huawei', [{ granted: '2020-07-15', expires: '2028-07-14' }])],
    };
    expect(check(FR, early, '2020-07-14').findings).toEqual([
      { rule: 'fr-5g-radio-authorisation', status: 'violation', items: ['hw'] },
    ]);
  });

  it('marks findings between the law (2 Aug 2019) and its decree (7 Dec 2019) unverified', () => {
    const bare = { items: [radio('er', 'Ericsson', [])] };
    expect(check(FR, bare, '2019-08-01').findings).toEqual([]);
    expect(check(FR, bare, '2019-10-01').findings).toEqual([
      { rule: 'fr-5g-radio-authorisation', status: 'violation', items: ['er'], unverified: true },
    ]);
    expect(check(FR, bare, '2019-12-07').findings).toEqual([
      { rule: 'fr-5g-radio-authorisation', status: 'violation', items: ['er'] },
    ]);
  });
});

describe('it-golden-power-5g: notifications of 5G supply', () => {
  const bought = (
    id: string,
    vendor: string,
    procured: string,
    notified: boolean,
    kind = 'equipment',
  ) => ({
    id,
    kind,
    vendor,
    domain: kind === 'service' ? 'management' : 'ran',
    technology: ['5G'],
    procured,
    installed: procured,
    ...(notified ? { authorisations: [{ scheme: 'it-golden-power-5g', id: `GP-${id}` }] } : {}),
  });

  it('from 25 Mar 2019 requires a notification for Huawei and ZTE 5G goods and services', () => {
    // A ZTE subsidiary's managed service counts (services are in scope); a purchase before the
    // decree, and a notified one, do not.
    const inventory = {
      items: [
        bought('before', 'Huawei', '2019-03-24', false),
        bought('hw', '海思', '2020-05-01', false),
        bought('hw-ok', 'Huawei', '2020-05-01', true),
        bought('msp', 'ZTE USA, Inc.', '2021-02-01', false, 'service'),
        bought('ericsson', 'Ericsson AB', '2021-02-01', false),
      ],
    };
    expect(findingsOf(check(IT, inventory, '2021-06-01'), 'it-gp-5g-non-eu-2019')).toEqual([
      { rule: 'it-gp-5g-non-eu-2019', status: 'violation', items: ['hw', 'msp'] },
    ]);
    // Ericsson (an EU supplier) needed no notification before 2022.
    expect(findingsOf(check(IT, inventory, '2021-06-01'), 'it-gp-5g-all-2022')).toEqual([]);
  });

  it('from 22 Mar 2022 requires one for every supplier, unverified as the start day has one source', () => {
    const inventory = {
      items: [
        bought('er-before', 'Ericsson', '2022-03-21', false),
        bought('er', 'Ericsson', '2022-03-22', false),
        bought('nokia-ok', 'Nokia', '2022-06-01', true),
      ],
    };
    expect(findingsOf(check(IT, inventory, '2022-07-01'), 'it-gp-5g-all-2022')).toEqual([
      { rule: 'it-gp-5g-all-2022', status: 'violation', items: ['er'], unverified: true },
    ]);
  });
});

describe('in-trusted-sources-2021: only trusted products connected from 15 Jun 2021', () => {
  const connected = (
    id: string,
    vendor: string,
    installed: string,
    scheme?: string,
    expires?: string,
  ) => ({
    id,
    vendor,
    domain: 'transport',
    technology: ['IP'],
    installed,
    ...(scheme === undefined
      ? {}
      : {
          authorisations: [
            { scheme, id: `T-${id}`, ...(expires === undefined ? {} : { expires }) },
          ],
        }),
  });
  const network = {
    items: [
      connected('legacy', 'Huawei', '2021-06-14'),
      connected('new-hw', '华为', '2021-06-15'),
      connected('trusted', 'Ericsson', '2022-01-10', 'in-trusted-product'),
      connected('permitted', 'Nokia', '2022-01-10', 'in-nscs-permission'),
      connected('lapsed', 'Cisco Systems', '2022-01-10', 'in-nscs-permission', '2022-12-31'),
      { id: 'store', vendor: 'ZTE', domain: 'spare', technology: ['IP'], installed: '2022-01-10' },
      {
        id: 'svc',
        kind: 'service',
        vendor: 'ZTE',
        domain: 'transport',
        technology: ['IP'],
        installed: '2022-01-10',
      },
    ],
  };

  it('reports equipment connected from 15 Jun 2021 with neither a designation nor a permission', () => {
    // Kit connected on 14 Jun 2021 is existing network (no mandatory replacement); spares are not
    // connected; services are not telecom equipment. Cisco's permission lapsed on 31 Dec 2022.
    expect(check(IN, network, '2022-06-01').findings).toEqual([
      { rule: 'in-trusted-products', status: 'violation', items: ['new-hw'] },
    ]);
    expect(check(IN, network, '2023-01-01').findings).toEqual([
      { rule: 'in-trusted-products', status: 'violation', items: ['lapsed', 'new-hw'] },
    ]);
  });
});
