import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { check } from './scenario.js';

const ALL = [
  'ca-2022',
  'de-5g-2024',
  'eu-5g-toolbox-hrv',
  'uk-tsa-huawei-dvd',
  'us-fcc-covered-list',
  'us-ndaa-889',
];
const VENDORS = [
  'Huawei',
  '华为技术有限公司',
  'ZTE',
  'ZTT',
  'Ericsson',
  'Nokia',
  'Hikvision',
  'H3C',
  'Kaspersky Lab',
];
const DOMAINS = ['core', 'ran', 'access', 'transport', 'management', 'spare'];
const TECH = ['4G', '5G', 'FTTP', 'IP'];
const day = fc
  .integer({ min: 17_500, max: 21_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

/** A day on which the shipped caps are in force (the UK full-fibre cap from 2023-10-31 on). */
const capDay = fc
  .integer({ min: 19_662, max: 21_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

const item = fc.record({
  vendor: fc.constantFrom(...VENDORS),
  site: fc.constantFrom('S1', 'S2', 'S3', 'S4', 'S5'),
  domain: fc.constantFrom(...DOMAINS),
  technology: fc.uniqueArray(fc.constantFrom(...TECH), { maxLength: 2 }),
  installed: day,
  traffic_gb_per_day: fc.integer({ min: 0, max: 100_000 }).map((t) => t / 1000),
  premises_served: fc.integer({ min: 0, max: 5000 }),
  sanctions_affected: fc.boolean(),
  events: fc.array(
    fc.record({ type: fc.constantFrom('usf_spend', 'government_supply'), date: day }),
    { maxLength: 1 },
  ),
});
const items = fc
  .array(item, { minLength: 1, maxLength: 40 })
  .map((list) => list.map((it, i) => ({ id: `i${String(i).padStart(3, '0')}`, ...it })));
const operator = fc.record({ us_federal_contractor: fc.boolean(), usf_recipient: fc.boolean() });

describe('evaluation invariants', () => {
  it('every measure has 0 <= share <= 1 and numerator <= denominator, and breach matches the share', () => {
    let runs = 0;
    let measured = 0;
    fc.assert(
      fc.property(items, operator, fc.oneof(day, capDay), (list, op, date) => {
        const doc = check(ALL, { operator: op, items: list }, date);
        runs += 1;
        const measures = doc.measurements.flatMap((m) => Object.values(m.measures));
        if (measures.length > 0) measured += 1;
        for (const measure of measures) {
          expect(measure.denominator).toBeGreaterThan(0);
          expect(measure.numerator).toBeLessThanOrEqual(measure.denominator);
          expect(measure.share).toBeGreaterThanOrEqual(0);
          expect(measure.share).toBeLessThanOrEqual(1);
          // The caps shipped are 35%: a share rounded to 6 decimals above 0.350001 is a breach.
          if (measure.share > 0.350001) expect(measure.breach).toBe(true);
          if (measure.share < 0.349999) expect(measure.breach).toBe(false);
        }
      }),
    );
    // An inventory that meets no cap in force has no measures and checks nothing here; about one
    // in five generated ones has some, and a run that saw almost none would prove nothing.
    expect(measured / runs).toBeGreaterThanOrEqual(0.05);
  });

  test.prop([items, operator, day, fc.integer()])(
    'does not depend on the order of the items',
    (list, op, date, seed) => {
      const shuffled =
        fc.sample(fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }), {
          numRuns: 1,
          seed,
        })[0] ?? list;
      expect(check(ALL, { operator: op, items: shuffled }, date)).toEqual(
        check(ALL, { operator: op, items: list }, date),
      );
    },
  );

  test.prop([items, operator, day])(
    'lists the items of every finding sorted by id, without repeats',
    (list, op, date) => {
      const doc = check(ALL, { operator: op, items: list }, date);
      for (const f of [...doc.findings, ...doc.exempt]) {
        expect(f.items).toEqual([...new Set(f.items)].sort());
      }
    },
  );
});
