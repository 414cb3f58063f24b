/**
 * xz and LZMA ("alone", the 13-byte header format) through `@napi-rs/lzma`, a prebuilt Rust
 * binding shipped in the npm registry for every common platform: no xz binary, no compiler at
 * install time. Two versions: 1.5.3 (lzma-rust2, as fast as liblzma) where npm installed it, an
 * optional dependency under the alias `napi-rs-lzma-rust2` that declares Node ≥ 22.20, so npm on
 * Node 20 leaves it out; else 1.4.5 (lzma-rs, about a quarter slower), which installs on every
 * Node nospy supports. Neither has an output cap, so each stream's decoded size is established
 * before it is decoded (xz: from its LZMA2 chunk headers, xz-size.ts; LZMA: from its header) and
 * refused when it passes the caller's bound.
 *
 * The binding is loaded on first use, not at import: on a platform or Node version for which
 * npm installed no binary, nospy still runs and reports xz and LZMA data as not examined.
 */
import { createRequire } from 'node:module';
import { CodecError, CodecUnavailable } from './codec-error.js';
import { xzDecodedSize } from './xz-size.js';

type LzmaBinding = typeof import('@napi-rs/lzma');

let binding: LzmaBinding | CodecUnavailable | undefined;

/** Which binding decodes xz and LZMA here (for the docs and the benchmark), once loaded. */
export let LZMA_DECODER = 'none';

function lzmaBinding(): LzmaBinding {
  if (binding === undefined) {
    const require = createRequire(import.meta.url);
    try {
      binding = require('napi-rs-lzma-rust2') as LzmaBinding;
      LZMA_DECODER = '@napi-rs/lzma 1.5.3 (lzma-rust2)';
    } catch {
      // not installed (Node 20), or no binary for this platform: the older binding
    }
  }
  if (binding === undefined) {
    try {
      binding = createRequire(import.meta.url)('@napi-rs/lzma') as LzmaBinding;
      LZMA_DECODER = '@napi-rs/lzma 1.4.5 (lzma-rs)';
    } catch (error) {
      binding = new CodecUnavailable(
        `the xz/LZMA decoder (@napi-rs/lzma) has no binary for this platform or Node version: ${(error as Error).message.split('\n')[0] ?? ''}`,
      );
    }
  }
  if (binding instanceof CodecUnavailable) throw binding;
  return binding;
}

/** True when xz and LZMA can be decoded here (the binding loaded). */
export function lzmaAvailable(): boolean {
  try {
    lzmaBinding();
    return true;
  } catch {
    return false;
  }
}

const failure = (what: string, error: unknown): CodecError =>
  new CodecError(`${what} does not decompress: ${(error as Error).message}`);

/** Decodes one xz stream of at most `maxOutput` bytes (checked before decoding). */
export function decodeXz(input: Uint8Array, maxOutput: number): Buffer {
  const size = xzDecodedSize(input, maxOutput);
  const lib = lzmaBinding();
  let out: Buffer;
  try {
    out = lib.xz.decompressSync(input);
  } catch (error) {
    throw failure('xz stream', error);
  }
  if (out.length !== size)
    throw new CodecError(`xz stream decoded to ${out.length} bytes, not the ${size} it states`);
  return out;
}

/** The size an LZMA-alone header states (bytes 5–12; all ones: unknown). */
const UNKNOWN_SIZE = 0xffff_ffff_ffff_ffffn;

/**
 * Decodes one LZMA-alone stream (squashfs-tools `lzma_wrapper.c` writes the real size into the
 * header, as the kernel's decoder needs): a stream whose size is unknown or past `maxOutput` is
 * refused before decoding.
 */
export function decodeLzmaAlone(input: Uint8Array, maxOutput: number): Buffer {
  if (input.length < 13) throw new CodecError('LZMA stream shorter than its header');
  const stated = Buffer.from(input.buffer, input.byteOffset, input.byteLength).readBigUInt64LE(5);
  if (stated === UNKNOWN_SIZE) throw new CodecError('LZMA stream does not state its size');
  if (stated > BigInt(maxOutput))
    throw new CodecError(`LZMA output of ${stated} bytes exceeds ${maxOutput}`);
  const lib = lzmaBinding();
  let out: Buffer;
  try {
    out = lib.lzma.decompressSync(input);
  } catch (error) {
    throw failure('LZMA stream', error);
  }
  if (out.length !== Number(stated))
    throw new CodecError(`LZMA stream decoded to ${out.length} bytes, not the ${stated} it states`);
  return out;
}
