/**
 * A decoder of LZO1X (the format of lzo1x_decompress_safe in liblzo2 and the Linux kernel's
 * lib/lzo/lzo1x_decompress_safe.c), which squashfs-tools (`lzo_wrapper.c`, raw blocks) and JFFS2
 * (compressor 7) write. It is a short state machine over literal runs and four kinds of match;
 * writing it here avoids a native module for a format no npm package keeps well. Every read
 * and copy is bounds-checked, and the output never grows past `maxOutput`.
 */
import { CodecError } from './codec-error.js';

/** The farthest an M2 match reaches (lzo1x.h M2_MAX_OFFSET). */
const M2_MAX_OFFSET = 0x0800;

/** Decodes one LZO1X block into at most `maxOutput` bytes; stops at the end marker. */
export function decodeLzo1x(input: Uint8Array, maxOutput: number): Buffer {
  const out = Buffer.allocUnsafe(maxOutput);
  const end = input.length;
  let ip = 0;
  let op = 0;
  const byte = (): number => {
    if (ip >= end) throw new CodecError('lzo block ends inside an instruction');
    return input[ip++] as number;
  };
  /** A length that continues in zero bytes (each adds 255) and a final non-zero byte. */
  const runLength = (base: number): number => {
    let n = 0;
    while (ip < end && input[ip] === 0) {
      n += 255;
      ip += 1;
      if (n > maxOutput) throw new CodecError('lzo run length exceeds the output');
    }
    return n + base + byte();
  };
  const literals = (count: number): void => {
    if (ip + count > end) throw new CodecError('lzo literals run past the block');
    if (op + count > maxOutput) throw new CodecError(`lzo output exceeds ${maxOutput} bytes`);
    out.set(input.subarray(ip, ip + count), op);
    ip += count;
    op += count;
  };
  const copyMatch = (from: number, count: number): void => {
    if (from < 0) throw new CodecError('lzo match points before the output');
    if (op + count > maxOutput) throw new CodecError(`lzo output exceeds ${maxOutput} bytes`);
    // Matches may overlap their own output: copy byte by byte.
    for (let i = 0; i < count; i += 1) out[op++] = out[from++] as number;
  };

  type State = 'instruction' | 'afterLiterals' | 'match' | 'trailing';
  let state: State = 'instruction';
  let t = 0;
  if (end > 0 && (input[0] as number) > 17) {
    t = byte() - 17;
    if (t < 4) {
      state = 'trailing';
    } else {
      literals(t);
      state = 'afterLiterals';
    }
  }
  for (;;) {
    if (state === 'instruction') {
      t = byte();
      if (t >= 16) {
        state = 'match';
        continue;
      }
      literals((t === 0 ? runLength(15) : t) + 3);
      state = 'afterLiterals';
      continue;
    }
    if (state === 'afterLiterals') {
      t = byte();
      if (t >= 16) {
        state = 'match';
        continue;
      }
      // An M1 match right after a literal run reaches past M2_MAX_OFFSET.
      const from = op - (1 + M2_MAX_OFFSET) - (t >> 2) - (byte() << 2);
      copyMatch(from, 3);
    } else if (state === 'match') {
      if (t >= 64) {
        const from = op - 1 - ((t >> 2) & 7) - (byte() << 3);
        copyMatch(from, (t >> 5) - 1 + 2);
      } else if (t >= 32) {
        const count = (t & 31) === 0 ? runLength(31) : t & 31;
        const lo = byte();
        const hi = byte();
        copyMatch(op - 1 - ((lo >> 2) + (hi << 6)), count + 2);
      } else if (t >= 16) {
        let from = op - ((t & 8) << 11);
        const count = (t & 7) === 0 ? runLength(7) : t & 7;
        const lo = byte();
        const hi = byte();
        from -= (lo >> 2) + (hi << 6);
        if (from === op) {
          // The end marker (an M4 match of distance 0).
          if (ip !== end) throw new CodecError('lzo block has bytes after its end marker');
          return out.subarray(0, op);
        }
        copyMatch(from - 0x4000, count + 2);
      } else {
        const from = op - 1 - (t >> 2) - (byte() << 2);
        copyMatch(from, 2);
      }
    } else {
      // 'trailing': t (1..3) literals follow a match, then the next instruction is a match.
      literals(t);
      t = byte();
      state = 'match';
      continue;
    }
    // The low two bits of the byte before the last read say how many literals trail the match.
    t = (input[ip - 2] as number) & 3;
    state = t === 0 ? 'instruction' : 'trailing';
  }
}
