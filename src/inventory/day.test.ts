import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { addYears, formatDay, parseDay } from './day.js';

describe('calendar days', () => {
  it('reads the epoch as day 0 and counts whole days', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(parseDay('2023-07-31')! - parseDay('2023-07-28')!).toBe(3);
  });

  describe('when a date is not a real calendar day', () => {
    it.each([
      '2023-02-30',
      '2023-13-01',
      '2023-00-10',
      '23-01-01',
      '2023-1-1',
      '2023-01-01T00:00',
      'yesterday',
    ])('rejects %s', (text) => {
      expect(parseDay(text)).toBeUndefined();
    });
  });

  it('accepts 29 February only in leap years', () => {
    expect(parseDay('2024-02-29')).toBeDefined();
    expect(parseDay('2023-02-29')).toBeUndefined();
  });

  it('adds a calendar year, clamping 29 February', () => {
    expect(formatDay(addYears(parseDay('2023-06-01')!, 1))).toBe('2024-06-01');
    expect(formatDay(addYears(parseDay('2024-02-29')!, 1))).toBe('2025-02-28');
  });

  test.prop([
    fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
  ])('formats and parses back to the same day', (date) => {
    const text = date.toISOString().slice(0, 10);
    expect(formatDay(parseDay(text)!)).toBe(text);
  });
});
