import { spawnSync } from 'node:child_process';
import { crc32 } from 'node:zlib';
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
 * Decompresses one xz stream with Debian's `xz` (xz-utils): liblzma is well tested and an
 * LZMA2 decoder is not something to rewrite. The output is capped with `maxBuffer` (the child
 * is killed once it writes more) and the run with a timeout, so a bomb cannot fill memory or
 * hang the scan. A missing `xz` is reported, not fatal.
 */
export function unxzBounded(
  buf: Buffer,
  offset: number,
  budget: UnpackBudget,
  where: string,
): Decompressed {
  const length = xzStreamLength(buf, offset) ?? buf.length - offset;
  const allowance = budget.outputAllowance(length);
  const result = spawnSync('xz', ['--decompress', '--stdout', '--single-stream', '--quiet'], {
    input: buf.subarray(offset, offset + length),
    maxBuffer: allowance,
    timeout: 120_000,
  });
  const code = (result.error as { code?: string } | undefined)?.code;
  if (code === 'ENOENT') {
    budget.warn(
      'tool_missing',
      where,
      'xz stream found but the xz tool is not installed (apt-get install xz-utils)',
    );
    return { ok: false, consumed: length };
  }
  if (code === 'ENOBUFS') {
    budget.warn(budget.boundHit(length), where, `xz output exceeds ${allowance} bytes; stopped`);
    return { ok: false, consumed: length };
  }
  if (result.error !== undefined || result.status !== 0) {
    const reason = result.error?.message ?? result.stderr.toString('utf8').trim();
    budget.warn('corrupt', where, `xz stream does not decompress: ${reason}`);
    return { ok: false, consumed: length };
  }
  budget.takeBytes(result.stdout.length);
  return { ok: true, data: result.stdout, consumed: length };
}
