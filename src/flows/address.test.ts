import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatIPv6, formatIPv6Words } from './address.js';

/** 16 bytes as four big-endian 32-bit words. */
function words(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return Uint32Array.from([0, 4, 8, 12].map((at) => view.getUint32(at)));
}

// Zero-heavy bytes so that runs of zero groups (the `::` cases) come up often.
const address = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .chain((random) =>
    fc
      .array(fc.boolean(), { minLength: 8, maxLength: 8 })
      .map((zeroGroup) => random.map((byte, i) => (zeroGroup[i >> 1] === true ? 0 : byte))),
  );

describe('IPv6 text from address words', () => {
  test.prop([address])('is the RFC 5952 text the same address gets from its bytes', (bytes) => {
    expect(formatIPv6Words(words(bytes))).toBe(formatIPv6(bytes, 0));
  });

  it('keeps an IPv4-mapped address dotted (RFC 5952 §5)', () => {
    expect(formatIPv6Words(Uint32Array.from([0, 0, 0xffff, 0xc0000201]))).toBe('::ffff:192.0.2.1');
  });

  it('compresses the first of two equal zero runs (RFC 5952 §4.2.3)', () => {
    expect(formatIPv6Words(Uint32Array.from([0x20010db8, 0, 0x00010000, 0x00000001]))).toBe(
      '2001:db8::1:0:0:1',
    );
  });
});
