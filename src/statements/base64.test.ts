import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decodeStrictBase64 } from './base64.js';

describe('strict base64', () => {
  test.prop([fc.uint8Array({ maxLength: 200 })])(
    'decodes what Node encodes, in either alphabet',
    (bytes) => {
      const b = Buffer.from(bytes);
      for (const text of [b.toString('base64'), b.toString('base64url')]) {
        const decoded = decodeStrictBase64(text);
        expect('bytes' in decoded && decoded.bytes.equals(b)).toBe(true);
      }
    },
  );

  it.each(['a', 'ab=', 'a b=', 'ab+_', 'QR==', 'QQ=', 'QQ===', 'e30==', 'QQ\n'])(
    'rejects "%s"',
    (text) => {
      expect('reason' in decodeStrictBase64(text)).toBe(true);
    },
  );
});
