/**
 * The decompressor for each compressor a file system may name, as one signature: a block in,
 * at most `maxOutput` bytes out, a CodecError when the block is malformed or too large.
 *
 * | compressor | decoder | why |
 * |---|---|---|
 * | gzip (zlib) | node:zlib `inflateSync` | built into Node, `maxOutputLength` caps it |
 * | xz, lzma | `@napi-rs/lzma` (lzma.ts) | LZMA is not worth rewriting; a prebuilt binding |
 * | zstd | node:zlib, else `zstddec` wasm (zstd.ts) | Node 20 has no zstd |
 * | lz4, lzo | our own (lz4-block.ts, lzo1x.ts) | small block formats; no well-kept package |
 */
import { inflateSync } from 'node:zlib';
import { CodecError } from './codec-error.js';
import { decodeLz4Block } from './lz4-block.js';
import { decodeLzmaAlone, decodeXz } from './lzma.js';
import { decodeLzo1x } from './lzo1x.js';
import { decodeZstd } from './zstd.js';

export type BlockCodec = 'gzip' | 'lzma' | 'lzo' | 'xz' | 'lz4' | 'zstd';
export type BlockDecoder = (input: Buffer, maxOutput: number) => Buffer;

/** The largest output buffer inflateZlib sets aside up front; larger outputs grow in chunks. */
const MAX_CHUNK = 1024 * 1024;

/** A zlib stream (RFC 1950), the form squashfs, JFFS2 and CramFS store "gzip" blocks in. */
export function inflateZlib(input: Buffer, maxOutput: number): Buffer {
  try {
    // One output chunk a byte larger than the block: zlib's default of 16 KiB would cut a
    // 128 KiB block into eight pieces and copy them together again (Buffer.concat), and a chunk
    // of exactly the block size would be followed by a second, empty one.
    return inflateSync(input, {
      maxOutputLength: Math.max(1, maxOutput),
      chunkSize: Math.max(64, Math.min(MAX_CHUNK, maxOutput + 1)),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CodecError(
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `zlib output exceeds ${maxOutput} bytes`
        : `zlib stream does not inflate: ${(error as Error).message}`,
    );
  }
}

const DECODERS: Readonly<Record<BlockCodec, BlockDecoder>> = {
  gzip: inflateZlib,
  xz: decodeXz,
  lzma: decodeLzmaAlone,
  zstd: decodeZstd,
  lz4: decodeLz4Block,
  lzo: decodeLzo1x,
};

/** The decoder of one compressor. */
export function blockDecoder(codec: BlockCodec): BlockDecoder {
  return DECODERS[codec];
}
