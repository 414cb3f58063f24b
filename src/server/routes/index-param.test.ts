import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseIndexParam } from './index-param.js';

describe('reading a log index from a path or query', () => {
  it.each([
    ['0', 0],
    ['7', 7],
    ['1234067', 1_234_067],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %s as %d', (text, index) => {
    expect(parseIndexParam(text)).toBe(index);
  });

  it.each([
    ['an empty text', ''],
    ['a leading zero', '07'],
    ['a sign', '+7'],
    ['a negative number', '-1'],
    ['an exponent', '1e3'],
    ['hexadecimal', '0x10'],
    ['a fraction', '1.0'],
    ['spaces', ' 7'],
    ['a number beyond 2^53 - 1', '9007199254740992'],
    ['seventeen digits', '12345678901234567'],
    ['letters', 'latest'],
  ])('reads no index from %s', (_what, text) => {
    expect(parseIndexParam(text)).toBeUndefined();
  });

  test.prop([fc.maxSafeNat()])('reads back every safe index it is given in decimal', (index) => {
    expect(parseIndexParam(String(index))).toBe(index);
  });
});
