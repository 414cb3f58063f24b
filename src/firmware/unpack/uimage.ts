import { crc32 } from 'node:zlib';

/** The U-Boot legacy image magic (u-boot include/image.h, IH_MAGIC). */
export const UIMAGE_MAGIC = 0x27051956;
const HEADER = 64;

/** What the 64-byte legacy header says (u-boot include/image.h, struct legacy_img_hdr). */
export interface UImageHeader {
  readonly dataSize: number;
  readonly dataCrcOk: boolean;
  readonly os: number;
  readonly arch: number;
  readonly type: number;
  /** IH_COMP: 0 none, 1 gzip, 2 bzip2, 3 lzma, 4 lzo, 5 lz4, 6 zstd. */
  readonly compression: number;
  readonly name: string;
}

export const UIMAGE_HEADER_SIZE = HEADER;

/**
 * Parses a uImage header at `offset`: the header CRC (computed with the CRC field zeroed) must
 * match, and the payload must fit. The data CRC is reported, not required, so that a
 * patched-after-signing image is still unpacked and the mismatch shown.
 */
export function readUImageHeader(buf: Buffer, offset: number): UImageHeader | undefined {
  if (offset + HEADER > buf.length || buf.readUInt32BE(offset) !== UIMAGE_MAGIC) return undefined;
  const header = Buffer.from(buf.subarray(offset, offset + HEADER));
  const headerCrc = header.readUInt32BE(4);
  header.writeUInt32BE(0, 4);
  if (crc32(header) !== headerCrc) return undefined;
  const dataSize = header.readUInt32BE(12);
  if (offset + HEADER + dataSize > buf.length) return undefined;
  const dataCrcOk =
    crc32(buf.subarray(offset + HEADER, offset + HEADER + dataSize)) === header.readUInt32BE(24);
  const nameBytes = header.subarray(32, 64);
  const nul = nameBytes.indexOf(0);
  return {
    dataSize,
    dataCrcOk,
    os: header[28] ?? 0,
    arch: header[29] ?? 0,
    type: header[30] ?? 0,
    compression: header[31] ?? 0,
    name: nameBytes.subarray(0, nul === -1 ? 32 : nul).toString('latin1'),
  };
}
