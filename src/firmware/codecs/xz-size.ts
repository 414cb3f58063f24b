/**
 * The exact size an xz stream decodes to, read from its structure without decoding it (The .xz
 * File Format 1.2.1 §3 "Block", and the LZMA2 chunk headers of xz-embedded's
 * xz_dec_lzma2.c): every LZMA2 chunk states its uncompressed size, and the filters before
 * LZMA2 (BCJ, delta) keep sizes. The decoder library has no output cap, so this is what keeps a
 * small stream from expanding without bound: the total is checked before decoding starts, and
 * a decoder must produce exactly what the chunks state.
 */
import { CodecError } from './codec-error.js';

const LZMA2_FILTER = 0x21;

/** Bytes of the check field for each check id (§2.1.1.2). */
function checkSize(id: number): number {
  if (id === 0) return 0;
  return 4 << Math.floor((id - 1) / 3);
}

function varint(buf: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 9; i += 1) {
    const b = buf[at + i];
    if (b === undefined) throw new CodecError('xz block header ends inside a number');
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new CodecError('xz number longer than 9 bytes');
}

/** Walks LZMA2 chunks from `at`; returns the decoded bytes and where the chunks end. */
export function lzma2Size(
  buf: Uint8Array,
  at: number,
  limit: number,
): { size: number; end: number } {
  let size = 0;
  let p = at;
  for (;;) {
    const control = buf[p];
    if (control === undefined) throw new CodecError('LZMA2 data ends without its end marker');
    if (control === 0) return { size, end: p + 1 };
    if (p + 3 > buf.length) throw new CodecError('LZMA2 chunk header is cut off');
    const word = ((buf[p + 1] as number) << 8) | (buf[p + 2] as number);
    if (control === 1 || control === 2) {
      size += word + 1;
      p += 3 + word + 1;
    } else if (control >= 0x80) {
      if (p + 5 > buf.length) throw new CodecError('LZMA2 chunk header is cut off');
      size += (control & 0x1f) * 65536 + word + 1;
      const packed = (((buf[p + 3] as number) << 8) | (buf[p + 4] as number)) + 1;
      p += 5 + (control >= 0xc0 ? 1 : 0) + packed;
    } else {
      throw new CodecError(`LZMA2 control byte ${control} is invalid`);
    }
    if (size > limit) throw new CodecError(`xz output exceeds ${limit} bytes`);
    if (p > buf.length) throw new CodecError('LZMA2 chunk runs past the stream');
  }
}

/**
 * The total decoded size of the single xz stream `stream` (header at 0), or a CodecError when
 * the structure is malformed, a filter chain does not end in LZMA2, or the total passes `limit`.
 */
export function xzDecodedSize(stream: Uint8Array, limit: number): number {
  if (stream.length < 12) throw new CodecError('xz stream shorter than its header');
  const check = checkSize((stream[7] as number) & 0x0f);
  let p = 12;
  let total = 0;
  for (;;) {
    const first = stream[p];
    if (first === undefined) throw new CodecError('xz stream ends before its index');
    if (first === 0) return total; // the index indicator: no more blocks (§3.1.1)
    const headerSize = (first + 1) * 4;
    const headerEnd = p + headerSize;
    if (headerEnd > stream.length) throw new CodecError('xz block header runs past the stream');
    const flags = stream[p + 1] as number;
    let q = p + 2;
    if (flags & 0x40) q = varint(stream, q).next;
    if (flags & 0x80) q = varint(stream, q).next;
    const filters = (flags & 0x03) + 1;
    let last = -1;
    for (let i = 0; i < filters; i += 1) {
      const id = varint(stream, q);
      const props = varint(stream, id.next);
      q = props.next + props.value;
      if (q > headerEnd) throw new CodecError('xz filter flags run past the block header');
      last = id.value;
    }
    if (last !== LZMA2_FILTER)
      throw new CodecError(`xz filter chain ends in filter ${last}, not LZMA2`);
    const chunks = lzma2Size(stream, headerEnd, limit - total);
    total += chunks.size;
    // Block padding to a multiple of four (blocks start aligned, as the stream does), then
    // the check (§3.3, §3.4).
    p = Math.ceil(chunks.end / 4) * 4 + check;
  }
}
