/**
 * A decoder of the LZ4 block format (lz4 doc/lz4_Block_format.md), the form squashfs-tools
 * writes (`lz4_wrapper.c`: one raw block per squashfs block, no frame). The format is small
 * enough to decode here rather than add a native dependency: sequences of a token, literals,
 * a 2-byte offset and a match length. Every read and every copy is checked against the input
 * and against `maxOutput`, so a hostile block ends with an error, never a read out of bounds.
 */
import { CodecError } from './codec-error.js';

/** Decodes one LZ4 block into at most `maxOutput` bytes. */
export function decodeLz4Block(input: Uint8Array, maxOutput: number): Buffer {
  const out = Buffer.allocUnsafe(maxOutput);
  let ip = 0;
  let op = 0;
  const end = input.length;
  const byte = (): number => {
    if (ip >= end) throw new CodecError('lz4 block ends inside a sequence');
    return input[ip++] as number;
  };
  const length = (base: number): number => {
    let n = base;
    if (base === 15) {
      let b: number;
      do {
        b = byte();
        n += b;
      } while (b === 255);
    }
    return n;
  };
  while (ip < end) {
    const token = byte();
    const literals = length(token >> 4);
    if (ip + literals > end) throw new CodecError('lz4 literals run past the block');
    if (op + literals > maxOutput) throw new CodecError(`lz4 output exceeds ${maxOutput} bytes`);
    out.set(input.subarray(ip, ip + literals), op);
    ip += literals;
    op += literals;
    // The last sequence holds literals only (lz4_Block_format.md "End of block conditions").
    if (ip === end) break;
    const offset = byte() | (byte() << 8);
    if (offset === 0 || offset > op)
      throw new CodecError('lz4 match offset points before the output');
    const match = length(token & 15) + 4;
    if (op + match > maxOutput) throw new CodecError(`lz4 output exceeds ${maxOutput} bytes`);
    let from = op - offset;
    if (offset >= match) {
      out.copyWithin(op, from, from + match);
      op += match;
    } else {
      // An overlapping match repeats the last `offset` bytes: copy byte by byte.
      for (let i = 0; i < match; i += 1) out[op++] = out[from++] as number;
    }
  }
  return out.subarray(0, op);
}
