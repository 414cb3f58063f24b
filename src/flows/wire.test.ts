import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { readUint } from './wire.js';

describe('reading a big-endian unsigned integer of 1 to 8 bytes', () => {
  test.prop([fc.integer({ min: 1, max: 8 }), fc.bigInt({ min: 0n, max: 2n ** 53n - 1n })])(
    'reads every reduced-size unsigned (RFC 7011 §6.2) exactly up to 2^53',
    (length, value) => {
      const fitted = value % 2n ** BigInt(8 * length);
      const bytes = new Uint8Array(length + 2);
      for (let i = 0; i < length; i += 1)
        bytes[1 + i] = Number((fitted >> BigInt(8 * (length - 1 - i))) & 0xffn);
      expect(readUint(bytes, 1, length)).toBe(Number(fitted));
    },
  );
});
