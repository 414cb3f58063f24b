import { createRequire } from 'node:module';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { decodeLz4Block } from './lz4-block.js';
import { decodeLzo1x } from './lzo1x.js';
import { decodeRtime } from './rtime.js';
import { decodeXz } from './lzma.js';
import { lzma2Size } from './xz-size.js';

/** Runs `decode` and returns its output, or undefined when it refused with a CodecError. */
function refusedOrBounded(decode: () => Buffer, max: number): Buffer | undefined {
  try {
    const out = decode();
    expect(out.length).toBeLessThanOrEqual(max);
    return out;
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return undefined;
  }
}

describe('the decoders written here, given any bytes', () => {
  test.prop([fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 4096 })])(
    'LZ4 returns at most the bound or refuses with a CodecError',
    (bytes, max) => {
      refusedOrBounded(() => decodeLz4Block(bytes, max), max);
    },
  );
  test.prop([fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 4096 })])(
    'LZO1X returns at most the bound or refuses with a CodecError',
    (bytes, max) => {
      refusedOrBounded(() => decodeLzo1x(bytes, max), max);
    },
  );
  test.prop([fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 4096 })])(
    'rtime returns exactly the size asked or refuses with a CodecError',
    (bytes, size) => {
      const out = refusedOrBounded(() => decodeRtime(bytes, size), size);
      if (out !== undefined) expect(out.length).toBe(size);
    },
  );
});

describe('LZ4 blocks', () => {
  it('decodes literals and an overlapping match', () => {
    // token 0x14: 1 literal "a", match length 4+4=8 at offset 1, then a last literal "b".
    const block = Buffer.from([0x14, 0x61, 0x01, 0x00, 0x10, 0x62]);
    expect(decodeLz4Block(block, 64).toString()).toBe('aaaaaaaaab');
  });

  it('refuses a match that points before the output', () => {
    expect(() => decodeLz4Block(Buffer.from([0x14, 0x61, 0x05, 0x00, 0x10, 0x62]), 64)).toThrow(
      CodecError,
    );
  });
});

describe('an xz stream whose chunks state more than the bound', () => {
  it('is refused before it is decoded', () => {
    // An uncompressed LZMA2 chunk of 65536 bytes (control 1, size - 1 = 0xffff) and the end.
    expect(() => lzma2Size(Buffer.from([0x01, 0xff, 0xff]), 0, 1024)).toThrow(/exceeds 1024/);
  });

  it('decodes what it states, with the library', () => {
    const bytes = Buffer.from('nospy '.repeat(1000));
    // A stream from the library's own encoder.
    const { xz } = createRequire(import.meta.url)(
      '@napi-rs/lzma',
    ) as typeof import('@napi-rs/lzma');
    expect(decodeXz(xz.compressSync(bytes), bytes.length).equals(bytes)).toBe(true);
    expect(() => decodeXz(xz.compressSync(bytes), bytes.length - 1)).toThrow(CodecError);
  });
});
