/**
 * JFFS2's "rtime" compressor (linux fs/jffs2/compr_rtime.c): pairs of a literal byte and a
 * repeat count that copies from where that byte value last appeared. Tiny, and written here
 * because nothing outside the kernel implements it. The output is exactly `size` bytes.
 */
import { CodecError } from './codec-error.js';

export function decodeRtime(input: Uint8Array, size: number): Buffer {
  const out = Buffer.alloc(size);
  const positions = new Int32Array(256);
  let ip = 0;
  let op = 0;
  while (op < size) {
    if (ip + 2 > input.length) throw new CodecError('rtime data ends early');
    const value = input[ip++] as number;
    out[op++] = value;
    let repeat = input[ip++] as number;
    let from = positions[value] as number;
    positions[value] = op;
    if (op + repeat > size) throw new CodecError('rtime run passes the node size');
    while (repeat-- > 0) out[op++] = out[from++] as number;
  }
  return out;
}
