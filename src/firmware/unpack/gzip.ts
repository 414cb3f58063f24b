import { inflateRawSync } from 'node:zlib';
import type { UnpackBudget } from '../limits.js';

/** Outcome of one decompression: the bytes, how many input bytes it consumed, or why it stopped. */
export type Decompressed =
  | { readonly ok: true; readonly data: Buffer; readonly consumed: number }
  | { readonly ok: false; readonly consumed: number };

const FTEXT_MASK = 0xe0; // reserved FLG bits must be zero (RFC 1952 §2.3.1)

/** True when a gzip member header (RFC 1952 §2.3: 1f 8b, CM=8, no reserved flags) starts here. */
export function isGzipHeader(buf: Buffer, offset: number): boolean {
  return (
    buf[offset] === 0x1f &&
    buf[offset + 1] === 0x8b &&
    buf[offset + 2] === 8 &&
    ((buf[offset + 3] ?? 0xff) & FTEXT_MASK) === 0
  );
}

/** Length of the member header (RFC 1952 §2.3.1: FEXTRA, FNAME, FCOMMENT, FHCRC), or undefined. */
function headerLength(buf: Buffer, offset: number): number | undefined {
  const flags = buf[offset + 3] ?? 0;
  let at = offset + 10;
  if (flags & 0x04) {
    if (at + 2 > buf.length) return undefined;
    at += 2 + buf.readUInt16LE(at);
  }
  for (const bit of [0x08, 0x10]) {
    if (flags & bit) {
      const nul = buf.indexOf(0, at);
      if (nul === -1) return undefined;
      at = nul + 1;
    }
  }
  if (flags & 0x02) at += 2;
  return at > buf.length ? undefined : at - offset;
}

/**
 * Decompresses the gzip members starting at `offset` (concatenated members form one stream,
 * RFC 1952 §2.2), never producing more than the budget allows: zlib stops at
 * `maxOutputLength` instead of allocating whatever the stream asks for.
 */
export function gunzipBounded(
  buf: Buffer,
  offset: number,
  budget: UnpackBudget,
  where: string,
): Decompressed {
  const parts: Buffer[] = [];
  let produced = 0;
  let at = offset;
  const allowance = budget.outputAllowance(buf.length - offset);
  while (isGzipHeader(buf, at)) {
    const header = headerLength(buf, at);
    if (header === undefined) {
      budget.warn('truncated', where, 'gzip header runs past the end of the data');
      return { ok: false, consumed: buf.length - offset };
    }
    try {
      const result = inflateRawSync(buf.subarray(at + header), {
        info: true,
        maxOutputLength: Math.max(1, allowance - produced),
      }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      parts.push(result.buffer);
      produced += result.buffer.length;
      at += header + result.engine.bytesWritten + 8;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        budget.warn(
          budget.boundHit(buf.length - offset),
          where,
          `gzip output exceeds ${allowance} bytes; stopped`,
        );
      } else {
        budget.warn('corrupt', where, `gzip stream does not inflate: ${(error as Error).message}`);
      }
      return { ok: false, consumed: buf.length - offset };
    }
    if (at > buf.length) {
      budget.warn('truncated', where, 'gzip trailer missing');
      at = buf.length;
      break;
    }
  }
  budget.takeBytes(produced);
  return {
    ok: true,
    data: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts),
    consumed: at - offset,
  };
}
