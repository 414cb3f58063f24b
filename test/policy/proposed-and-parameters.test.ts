import { describe, expect, it } from 'vitest';
import { hasViolation } from '../../src/policy/report.js';
import { check, evaluate, findingsOf } from './scenario.js';

/** A mobile network with Huawei and ZTE kit under several names, and near-misses. */
const network = {
  items: [
    { id: 'amf', vendor: '华为技术有限公司', domain: 'core', technology: ['5G'] },
    {
      id: 'gnb',
      vendor: 'HiSilicon (Shanghai) Technologies Co., Ltd.',
      domain: 'ran',
      technology: ['5G'],
    },
    { id: 'nms', vendor: 'ZTEsoft', domain: 'management', technology: ['5G'] },
    { id: 'enb', vendor: 'Huawei', domain: 'ran', technology: ['4G'] },
    { id: 'olt', vendor: 'Huawei', domain: 'access', technology: ['FTTP'] },
    { id: 'fibre', vendor: 'ZTT', domain: 'ran', technology: ['5G'] },
    { id: 'sw', vendor: 'H3C', domain: 'core', technology: ['5G'] },
  ],
};

describe('eu-csa-2026-proposal: a proposal whose deadline runs from a list not yet published', () => {
  const PACK = ['eu-csa-2026-proposal'];

  it('without --assume, evaluates nothing and says the rule waits for list_published', () => {
    const doc = check(PACK, network, '2035-01-01');
    expect(doc.findings).toEqual([]);
    expect(doc.pending).toEqual([
      { rule: 'eu-csa2-mobile-phaseout', status: 'proposed', waits_for: ['list_published'] },
    ]);
    expect(doc.assumptions).toBeUndefined();
  });

  it('assuming the list is published on 1 Mar 2027, allows the kit until 1 Mar 2030 (36 months) inclusive', () => {
    const doc = check(PACK, network, '2030-03-01', { list_published: '2027-03-01' });
    expect(doc.findings).toEqual([]);
    expect(doc.pending).toEqual([]);
    expect(doc.assumptions).toEqual({ list_published: '2027-03-01' });
  });

  it('the day after, reports the 5G key-asset kit as proposed law, never as a violation', () => {
    // Core, RAN and management 5G items of Huawei (Chinese name; HiSilicon a subsidiary) and ZTE
    // (ZTEsoft a subsidiary) count; 4G, fibre access, ZTT (not ZTE) and H3C (not Huawei) do not.
    const evaluation = evaluate(PACK, network, '2030-03-02', { list_published: '2027-03-01' });
    expect(
      findingsOf(
        check(PACK, network, '2030-03-02', { list_published: '2027-03-01' }),
        'eu-csa2-mobile-phaseout',
      ),
    ).toEqual([
      { rule: 'eu-csa2-mobile-phaseout', status: 'proposed', items: ['amf', 'gnb', 'nms'] },
    ]);
    expect(hasViolation(evaluation)).toBe(false);
  });

  it('refuses an assumption no pack declares, naming the declared ones', () => {
    expect(() => check(PACK, network, '2030-03-02', { list_publication: '2027-03-01' })).toThrow(
      /--assume list_publication: no pack given declares a parameter 'list_publication' \(declared: list_published\)/,
    );
  });
});

describe('pl-ksc-2026: a law in force whose deadlines run from a designation not yet made', () => {
  const PACK = ['pl-ksc-2026'];
  const bought = (procured: string) => ({
    items: [
      {
        id: 'router',
        vendor: 'ZTE USA, Inc.',
        domain: 'transport',
        technology: ['IP'],
        procured,
        installed: procured,
      },
    ],
  });

  it('lists both rules as not yet applicable until hrv_designated is assumed', () => {
    expect(check(PACK, bought('2026-10-01'), '2031-01-01').pending).toEqual([
      { rule: 'pl-hrv-no-new-procurement', status: 'violation', waits_for: ['hrv_designated'] },
      { rule: 'pl-hrv-replacement', status: 'violation', waits_for: ['hrv_designated'] },
    ]);
  });

  it('counts a purchase on the designation day itself, and none the day before', () => {
    const assume = { hrv_designated: '2026-09-01' };
    expect(
      findingsOf(
        check(PACK, bought('2026-08-31'), '2026-12-01', assume),
        'pl-hrv-no-new-procurement',
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        check(PACK, bought('2026-09-01'), '2026-12-01', assume),
        'pl-hrv-no-new-procurement',
      ),
    ).toEqual([{ rule: 'pl-hrv-no-new-procurement', status: 'violation', items: ['router'] }]);
  });

  it('requires replacement 4 to 7 years after the designation, unverified as the periods are the drafts', () => {
    const assume = { hrv_designated: '2026-09-01' };
    const old = bought('2020-01-01');
    // 1 Sep 2030 is four years on: the strict reading's deadline day, still compliant.
    expect(findingsOf(check(PACK, old, '2030-09-01', assume), 'pl-hrv-replacement')).toEqual([]);
    expect(findingsOf(check(PACK, old, '2030-09-02', assume), 'pl-hrv-replacement')).toEqual([
      { rule: 'pl-hrv-replacement', status: 'violation', items: ['router'], unverified: true },
    ]);
  });
});
