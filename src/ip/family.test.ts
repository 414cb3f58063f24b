import { fc, test } from '@fast-check/vitest';
// node:net only here, as the reference the pure check must agree with.
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ipFamily, isIPv4, isIPv6 } from './family.js';

/** Text close to address text: its characters, cut and joined so that near misses come up. */
const addressLike = fc
  .array(
    fc.constantFrom(
      '0',
      '1',
      '9',
      '00',
      '25',
      '255',
      '256',
      '01',
      'a',
      'F',
      'ffff',
      '12345',
      ':',
      '::',
      '.',
      '%',
      'eth0',
      '-',
      ' ',
      'g',
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

/** A valid address with one character changed, dropped or added. */
const mutated = fc
  .tuple(
    fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended()),
    fc.nat(),
    fc.constantFrom('', ':', '.', '0', 'f', 'x', '%', '::', '%1'),
    fc.boolean(),
  )
  .map(([text, at, piece, replace]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + piece + text.slice(replace ? i + 1 : i);
  });

/** An IPv6 address with a zone index, valid or not. */
const zoned = fc
  .tuple(
    fc.ipV6(),
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.', ':', '%', '/', '_') }),
  )
  .map(([address, zone]) => `${address}%${zone}`);

describe('the family of IP address text', () => {
  describe('compared with node:net', () => {
    test.prop([fc.ipV4()])('gives 4 for every IPv4 address', (text) => {
      expect(ipFamily(text)).toBe(4);
      expect(isIP(text)).toBe(4);
    });

    test.prop([fc.ipV6()])('gives 6 for every IPv6 address', (text) => {
      expect(ipFamily(text)).toBe(6);
      expect(isIP(text)).toBe(6);
    });

    test.prop([fc.ipV4Extended()])('agrees on the octal, hex and short IPv4 forms', (text) => {
      expect(ipFamily(text)).toBe(isIP(text));
    });

    test.prop([mutated], { numRuns: 2000 })('agrees on addresses one edit away', (text) => {
      expect(ipFamily(text)).toBe(isIP(text));
    });

    test.prop([addressLike], { numRuns: 2000 })(
      'agrees on text built from address pieces',
      (text) => {
        expect(ipFamily(text)).toBe(isIP(text));
      },
    );

    test.prop([zoned])('agrees on IPv6 addresses with a zone index', (text) => {
      expect(ipFamily(text)).toBe(isIP(text));
    });

    test.prop([fc.string()])('agrees on any text', (text) => {
      expect(ipFamily(text)).toBe(isIP(text));
    });
  });

  it.each([
    ['0.0.0.0', 4],
    ['255.255.255.255', 4],
    ['::', 6],
    ['::1', 6],
    ['1::', 6],
    ['1:2:3:4:5:6:7::', 6],
    ['::2:3:4:5:6:7:8', 6],
    ['::ffff:192.0.2.1', 6],
    ['1:2:3:4:5:6:192.0.2.1', 6],
    ['fe80::1%eth0', 6],
    ['', 0],
    ['01.2.3.4', 0],
    ['256.0.0.0', 0],
    ['1.2.3', 0],
    ['1.2.3.4.5', 0],
    ['1.2.3.4%eth0', 0],
    [':::', 0],
    ['1::2::3', 0],
    ['1:2:3:4:5:6:7:8::', 0],
    ['1:2:3:4:5:6::192.0.2.1', 0],
    ['192.0.2.1::', 0],
    ['12345::', 0],
    ['fe80::1%', 0],
  ] as const)('reads %j as family %d', (text, family) => {
    expect(ipFamily(text)).toBe(family);
    expect(isIPv4(text)).toBe(family === 4);
    expect(isIPv6(text)).toBe(family === 6);
  });
});
