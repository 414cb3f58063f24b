import { describe, expect, it } from 'vitest';
import { check, evaluate, findingsOf, prepare } from './scenario.js';

const PACK = ['us-fcc-covered-list'];
const spend = (date: string) => [{ type: 'usf_spend', date }];

describe('us-fcc-covered-list: USF money after listing (47 CFR 54.10, +60 days)', () => {
  it('counts 60 days from each entry listing date (Kaspersky listed 25 Mar 2022: barred from 24 May 2022)', () => {
    const av = (date: string) => ({
      items: [
        {
          id: 'av',
          kind: 'software',
          vendor: 'Kaspersky Lab',
          domain: 'security',
          events: spend(date),
        },
      ],
    });
    expect(findingsOf(check(PACK, av('2022-05-23'), '2023-01-01'), 'fcc-54-10')).toEqual([]);
    expect(findingsOf(check(PACK, av('2022-05-24'), '2023-01-01'), 'fcc-54-10')).toEqual([
      { rule: 'fcc-54-10', status: 'violation', items: ['av'] },
    ]);
  });

  it('bars Huawei/ZTE USF spending from 30 Jun 2020 under 54.9 before the Covered List applies', () => {
    const doc = check(
      PACK,
      { items: [{ id: 'olt', vendor: 'ZTE', domain: 'access', events: spend('2020-06-30') }] },
      '2022-01-01',
    );
    expect(doc.findings).toEqual([
      { rule: 'fcc-54-9-huawei-zte', status: 'violation', items: ['olt'] },
    ]);
  });

  it('applies service-only entries to services, not to equipment', () => {
    const doc = check(
      PACK,
      {
        items: [
          {
            id: 'transit',
            kind: 'service',
            vendor: 'China Telecom (Americas) Corp',
            service_type: 'transit',
            domain: 'interconnect',
            events: spend('2023-01-01'),
          },
          {
            id: 'router',
            vendor: 'China Telecom Americas',
            domain: 'core',
            events: spend('2023-01-01'),
          },
        ],
      },
      '2023-06-01',
    );
    expect(doc.findings).toEqual([{ rule: 'fcc-54-10', status: 'violation', items: ['transit'] }]);
  });

  it('matches the foreign-produced UAS category on item fields, and named drone makers by name', () => {
    const prepared = prepare({
      items: [
        {
          id: 'acme-drone',
          vendor: 'Acme Vision',
          category: 'uas',
          produced_in: 'CN',
          domain: 'physical-security',
          events: spend('2026-03-01'),
        },
        {
          id: 'us-drone',
          vendor: 'Acme Vision',
          category: 'uas',
          produced_in: 'US',
          domain: 'physical-security',
          events: spend('2026-03-01'),
        },
        {
          id: 'dji',
          vendor: '大疆创新',
          category: 'uas',
          produced_in: 'CN',
          domain: 'physical-security',
          events: spend('2026-03-01'),
        },
        { id: 'early', vendor: 'DJI', domain: 'physical-security', events: spend('2026-02-19') },
      ],
    });
    const evaluation = evaluate(PACK, prepared, '2026-06-01');
    const finding = evaluation.findings.find((f) => f.rule === 'fcc-54-10');
    expect(finding?.items).toEqual(['acme-drone', 'dji']);
    expect(finding?.vendors).toEqual([
      {
        recorded: 'Acme Vision',
        entity: 'foreign-uas',
        role: 'category',
        name: 'foreign-uas',
        via: 'vendor',
        items: 1,
      },
      {
        recorded: '大疆创新',
        entity: 'dji',
        role: 'alias',
        name: '大疆创新',
        via: 'vendor',
        items: 1,
      },
    ]);
  });
});

describe('us-fcc-covered-list: rip-and-replace removal deadline', () => {
  const operator = {
    reimbursement: {
      participant: true,
      initial_disbursement: '2023-06-01',
      extensions: ['2024-12-01'],
    },
  };
  const items = [
    {
      id: 'old',
      vendor: 'Huawei',
      domain: 'ran',
      technology: ['4G'],
      procured: '2019-01-01',
      installed: '2019-02-01',
    },
    {
      id: 'late',
      vendor: 'Huawei',
      domain: 'ran',
      technology: ['4G'],
      procured: '2020-07-01',
      installed: '2020-08-01',
    },
    {
      id: 'gone',
      vendor: 'ZTE',
      domain: 'ran',
      technology: ['4G'],
      installed: '2019-02-01',
      removed: '2024-12-02',
    },
  ];

  it('takes the later of disbursement + 1 year and the last extension, the deadline day being compliant', () => {
    expect(
      findingsOf(check(PACK, { operator, items }, '2024-12-01'), 'fcc-reimbursement-removal'),
    ).toEqual([]);
    expect(
      findingsOf(check(PACK, { operator, items }, '2024-12-02'), 'fcc-reimbursement-removal'),
    ).toEqual([{ rule: 'fcc-reimbursement-removal', status: 'violation', items: ['old'] }]);
  });

  it('does not apply to an operator outside the program', () => {
    expect(findingsOf(check(PACK, { items }, '2026-01-01'), 'fcc-reimbursement-removal')).toEqual(
      [],
    );
  });
});
