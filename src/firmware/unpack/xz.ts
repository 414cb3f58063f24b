import { crc32 } from 'node:zlib';
import { CodecUnavailable } from '../codecs/codec-error.js';
import { decodeXz } from '../codecs/lzma.js';
import { xzDecodedSize } from '../codecs/xz-size.js';
import type { UnpackBudget } from '../limits.js';
import type { Decompressed } from './gzip.js';

/** The xz stream header magic (xz file format 1.2.1 §2.1.1.1). */
export const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const FOOTER_MAGIC = Buffer.from('YZ', 'latin1');

/** True when a stream header with a valid CRC32 over its flags starts at `offset` (§2.1.1). */
export function isXzHeader(buf: Buffer, offset: number): boolean {
  if (offset + 12 > buf.length || !buf.subarray(offset, offset + 6).equals(XZ_MAGIC)) return false;
  return crc32(buf.subarray(offset + 6, offset + 8)) === buf.readUInt32LE(offset + 8);
}

/**
 * The length of the xz stream at `offset`: the first stream footer (§2.1.2) that is 4-byte
 * aligned, carries the header's flags and a valid CRC32. Undefined when none is found.
 */
export function xzStreamLength(buf: Buffer, offset: number): number | undefined {
  let at = buf.indexOf(FOOTER_MAGIC, offset + 12 + 10);
  while (at !== -1) {
    const end = at + 2;
    const footer = end - 12;
    if ((end - offset) % 4 === 0 && footer >= offset + 12) {
      const flagsMatch = buf[footer + 8] === buf[offset + 6] && buf[footer + 9] === buf[offset + 7];
      if (flagsMatch && crc32(buf.subarray(footer + 4, footer + 10)) === buf.readUInt32LE(footer))
        return end - offset;
    }
    at = buf.indexOf(FOOTER_MAGIC, at + 1);
  }
  return undefined;
}

/**
 * Decompresses one xz stream with `@napi-rs/lzma` (codecs/lzma.ts). The size it decodes to is
 * read from its LZMA2 chunk headers and checked against the budget before any byte is decoded,
 * so a bomb is refused up front, not cut off after filling memory.
 */
export function unxzBounded(
  buf: Buffer,
  offset: number,
  budget: UnpackBudget,
  where: string,
): Decompressed {
  const length = xzStreamLength(buf, offset) ?? buf.length - offset;
  const stream = buf.subarray(offset, offset + length);
  const allowance = budget.outputAllowance(length);
  let size: number;
  try {
    size = xzDecodedSize(stream, Number.MAX_SAFE_INTEGER);
  } catch (error) {
    budget.warn('corrupt', where, `xz stream does not decompress: ${(error as Error).message}`);
    return { ok: false, consumed: length };
  }
  if (size > allowance) {
    budget.warn(
      budget.boundHit(length),
      where,
      `xz output of ${size} bytes exceeds ${allowance} bytes; not decoded`,
    );
    return { ok: false, consumed: length };
  }
  try {
    const data = decodeXz(stream, allowance);
    budget.takeBytes(data.length);
    return { ok: true, data, consumed: length };
  } catch (error) {
    budget.warn(
      error instanceof CodecUnavailable ? 'unsupported' : 'corrupt',
      where,
      error instanceof CodecUnavailable
        ? `xz stream not examined: ${error.message}`
        : (error as Error).message,
    );
    return { ok: false, consumed: length };
  }
}
