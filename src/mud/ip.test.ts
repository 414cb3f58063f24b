import { fc, test } from '@fast-check/vitest';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AddressSet } from './address-set.js';
import { canonicalAddress, formatIpv6, parseIpInto, parsePrefix, type IpPrefix } from './ip.js';

describe('address text', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('reads %s as %s', (text, canonical) => {
    expect(canonicalAddress(text)).toBe(canonical);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1::2::3',
    ':1',
    '1:',
    '12345::',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8:9',
    'x',
  ])('refuses %j', (text) => {
    expect(parseIpInto(text, new Uint32Array(4))).toBe(0);
  });

  test.prop([fc.ipV6()])('agrees with node:net on every IPv6 address and round-trips', (text) => {
    const words = new Uint32Array(4);
    expect(parseIpInto(text, words)).toBe(isIP(text) === 6 ? 6 : 0);
    const again = new Uint32Array(4);
    parseIpInto(formatIpv6(words), again);
    expect([...again]).toEqual([...words]);
  });

  test.prop([fc.ipV4()])('reads every dotted quad', (text) => {
    expect(canonicalAddress(text)).toBe(text);
  });
});

describe('address sets', () => {
  const prefixes = (texts: string[]): IpPrefix[] => texts.map((t) => parsePrefix(t)!);

  it('matches inside merged prefixes and nothing else', () => {
    const set = new AddressSet(
      prefixes([
        '10.0.0.0/24',
        '10.0.1.0/24',
        '10.0.0.128/25',
        '192.0.2.7',
        '2001:db8::/32',
        '::/128',
      ]),
    );
    const has = (text: string): boolean => {
      const words = new Uint32Array(4);
      const family = parseIpInto(text, words);
      return family !== 0 && set.has(family, words);
    };
    expect(['10.0.0.0', '10.0.1.255', '192.0.2.7', '2001:db8:ffff::1', '::'].map(has)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['9.255.255.255', '10.0.2.0', '192.0.2.8', '2001:db9::', '::1'].map(has)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test.prop([
    fc.array(fc.tuple(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 32 })), {
      maxLength: 20,
    }),
    fc.nat({ max: 0xffffffff }),
  ])('agrees with a naive prefix scan for IPv4', (raw, address) => {
    const list = raw.map(([value, length]) =>
      parsePrefix(
        `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}/${length}`,
      )!,
    );
    const naive = list.some(
      (p) =>
        length0(p.length) || address >>> (32 - p.length) === (p.words[0] ?? 0) >>> (32 - p.length),
    );
    expect(new AddressSet(list).hasV4(address)).toBe(naive);
  });
});

function length0(length: number): boolean {
  return length === 0;
}
