/**
 * Zstandard frames: Node's own zlib where it has it (`zstdDecompressSync`, Node ≥ 22.15 and
 * 23.8, with `maxOutputLength`), else `zstddec`, the reference decoder compiled to WebAssembly
 * (no native binary, so it works on every platform and Node 20). The wasm decoder is bounded by
 * the capacity it is given: a frame that needs more fails instead of growing.
 */
import * as zlib from 'node:zlib';
import { ZSTDDecoder } from 'zstddec';
import { CodecError } from './codec-error.js';

type NativeZstd = (
  input: Uint8Array,
  options: { maxOutputLength: number; chunkSize: number },
) => Buffer;

/** The largest output chunk set aside up front (as for zlib, block-decoders.ts). */
const MAX_CHUNK = 1024 * 1024;

const native = (zlib as unknown as { zstdDecompressSync?: NativeZstd }).zstdDecompressSync;

/** The wasm decoder, instantiated once at load when Node has no zstd of its own. */
const wasm: ZSTDDecoder | undefined =
  native === undefined
    ? await (async () => {
        const decoder = new ZSTDDecoder();
        await decoder.init();
        return decoder;
      })()
    : undefined;

/** Which decoder this Node uses (for the docs and the benchmark). */
export const ZSTD_DECODER = native === undefined ? 'zstddec (wasm)' : 'node:zlib';

/** Decodes one zstd frame into at most `maxOutput` bytes. */
export function decodeZstd(input: Uint8Array, maxOutput: number): Buffer {
  if (native !== undefined) {
    try {
      // One chunk a byte larger than the block, so that the output is never cut into pieces
      // and copied together again.
      return native(input, {
        maxOutputLength: Math.max(1, maxOutput),
        chunkSize: Math.max(64, Math.min(MAX_CHUNK, maxOutput + 1)),
      });
    } catch (error) {
      throw new CodecError(`zstd frame does not decompress: ${(error as Error).message}`);
    }
  }
  let out: Uint8Array;
  try {
    out = (wasm as ZSTDDecoder).decode(input, maxOutput);
  } catch (error) {
    throw new CodecError(`zstd frame does not decompress: ${(error as Error).message}`);
  }
  // zstddec returns an empty array when ZSTD_decompress reports an error (a negative size).
  if (out.length === 0 && input.length > 9)
    throw new CodecError(`zstd frame does not decompress into ${maxOutput} bytes`);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
